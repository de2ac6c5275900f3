"""The PDF export in the embedded setup (no broker: Celery eager): the request returns at once,
the PDF is built in a background thread and the status page follows it, waiting, being
built, ready (or failed, with a button to try again). An unchanged plan is not rendered
again. No sleeping: the renderer is patched to wait on events the test sets."""

import threading

import pytest
from kombu.exceptions import OperationalError

from actionplans import rendering
from actionplans.models import PlanExport
from core import queue
from forum.celery import app
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory, UserFactory

WAIT = 30  # seconds: only ever reached when something is broken


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def in_background(settings):
    settings.BACKGROUND_THREADS = True
    yield
    assert queue.background_wait(WAIT), "a background build did not finish"


@pytest.fixture
def plan():
    plan = ActionPlanFactory()
    MilestoneFactory(commitment=CommitmentFactory(plan=plan, status="included"))
    return plan


@pytest.fixture
def secretariat(client):
    client.force_login(UserFactory(roles=["secretariat"]))
    return client


class HeldRenderer:
    """Stands in for the WeasyPrint render: reports 40 %, then waits for `release`."""

    def __init__(self, fail=False):
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0
        self.fail = fail

    def __call__(self, plan, *, commitment=None, progress=lambda percent: None):
        self.calls += 1
        progress(40)
        self.started.set()
        assert self.release.wait(WAIT), "the test never released the render"
        if self.fail:
            raise OSError("the fonts folder cannot be read")
        return b"%PDF-1.7\n% a stand-in\n", 3


@pytest.mark.django_db(transaction=True)
def test_the_request_returns_at_once_and_the_page_follows_the_build(
    secretariat, plan, in_background, monkeypatch
):
    renderer = HeldRenderer()
    monkeypatch.setattr(rendering, "plan_pdf_render", renderer)

    with queue._one_at_a_time:  # another PDF is being built in this process: this one waits
        response = secretariat.post(f"/action-plans/{plan.slug}/exports/pdf/")
        assert response.status_code == 302
        export = PlanExport.objects.get()
        assert export.status == "queued"
        waiting = secretariat.get(response.url).content.decode()
        assert "<progress" in waiting and "hx-trigger" in waiting

    assert renderer.started.wait(WAIT)  # its turn: the render runs, the request is long gone
    export.refresh_from_db()
    assert (export.status, export.progress) == ("running", 40)
    building = secretariat.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "Building the PDF" in building and 'value="40"' in building
    assert "hx-trigger" in building  # the page keeps asking

    renderer.release.set()
    assert queue.background_wait(WAIT)
    export.refresh_from_db()
    assert (export.status, export.progress, export.pages) == ("done", 100, 3)
    ready = secretariat.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "The PDF is ready (3 pages)" in ready and "hx-trigger" not in ready
    download = secretariat.get(f"/action-plans/{plan.slug}/exports/{export.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert renderer.calls == 1


@pytest.mark.django_db(transaction=True)
def test_a_build_failing_in_the_background_shows_failed_and_a_retry(
    secretariat, plan, in_background, monkeypatch
):
    renderer = HeldRenderer(fail=True)
    monkeypatch.setattr(rendering, "plan_pdf_render", renderer)

    response = secretariat.post(f"/action-plans/{plan.slug}/exports/pdf/")
    assert renderer.started.wait(WAIT)
    assert PlanExport.objects.get().status == "running"
    renderer.release.set()
    assert queue.background_wait(WAIT)

    export = PlanExport.objects.get()
    assert export.status == "failed" and "fonts folder" in export.error
    page = secretariat.get(response.url).content.decode()
    assert "The PDF could not be built" in page and "Try again" in page
    assert "hx-trigger" not in page  # no endless polling

    monkeypatch.setattr(rendering, "plan_pdf_render", lambda plan, **kwargs: (b"%PDF-1.7\n", 1))
    retry = secretariat.post(f"/action-plans/{plan.slug}/exports/pdf/")
    assert queue.background_wait(WAIT)
    assert retry.url != response.url
    assert "The PDF is ready" in secretariat.get(retry.url).content.decode()


@pytest.mark.django_db
def test_an_unchanged_plan_is_not_rendered_again(
    secretariat, plan, django_capture_on_commit_callbacks, monkeypatch
):
    renders = []

    def render(plan, **kwargs):
        renders.append(plan.pk)
        return b"%PDF-1.7\n", 1

    monkeypatch.setattr(rendering, "plan_pdf_render", render)
    with django_capture_on_commit_callbacks(execute=True):
        first = secretariat.post(f"/action-plans/{plan.slug}/exports/pdf/")
    with django_capture_on_commit_callbacks(execute=True):
        again = secretariat.post(f"/action-plans/{plan.slug}/exports/pdf/")

    assert again.url == first.url  # the stored PDF, served as it is
    assert renders == [plan.pk]
    assert "The PDF is ready" in secretariat.get(again.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_pdf_is_built_beside_the_request(
    secretariat, plan, in_background, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    renderer = HeldRenderer()
    monkeypatch.setattr(rendering, "plan_pdf_render", renderer)
    monkeypatch.setattr(app.tasks["actionplans.build_export"], "apply_async", broker_down)
    monkeypatch.setitem(queue._broker, "down_until", 0.0)  # restored: later tests try again
    app.conf.task_always_eager = False  # a broker is configured, and it does not answer
    try:
        response = secretariat.post(f"/action-plans/{plan.slug}/exports/pdf/")
    finally:
        app.conf.task_always_eager = True

    assert response.status_code == 302
    assert renderer.started.wait(WAIT)
    assert PlanExport.objects.get().status == "running"
    renderer.release.set()
    assert queue.background_wait(WAIT)
    assert "The PDF is ready" in secretariat.get(response.url).content.decode()
