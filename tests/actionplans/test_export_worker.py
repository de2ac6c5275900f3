"""The plan's PDF built by a real Celery worker through Redis, as in production: the
status page shows the progress bar until the worker is done, then the download link."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from actionplans import rendering
from actionplans.models import PlanExport
from forum.celery import app
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory, UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pdf_and_the_page_follows(client):
    plan = ActionPlanFactory()
    MilestoneFactory(commitment=CommitmentFactory(plan=plan, status="included"))
    client.force_login(UserFactory(roles=["secretariat"]))
    built = threading.Event()

    def on_task_done(sender=None, **kwargs):
        if sender is not None and sender.name == "actionplans.build_export":
            built.set()

    task_postrun.connect(on_task_done, weak=False)
    app.conf.task_always_eager = False
    try:
        response = client.post(f"/action-plans/{plan.slug}/exports/pdf/")  # queued on commit
        export = PlanExport.objects.get()
        assert export.status == "queued"  # no worker yet: the page waits
        waiting = client.get(response.url).content.decode()
        assert "<progress" in waiting and "hx-trigger" in waiting
        with start_worker(app, pool="solo", perform_ping_check=False):
            assert built.wait(timeout=60), "the worker did not build the PDF within 60 seconds"
    finally:
        task_postrun.disconnect(on_task_done)

    export.refresh_from_db()
    assert (export.status, export.progress) == ("done", 100)
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "The PDF is ready" in page and "hx-trigger" not in page


@pytest.mark.requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_render_failing_in_the_worker_shows_failed_and_a_retry(client, monkeypatch):
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan, status="included")
    client.force_login(UserFactory(roles=["secretariat"]))
    renders = []

    def broken(plan, **kwargs):
        renders.append(plan.pk)
        raise OSError("the fonts folder cannot be read")

    monkeypatch.setattr(rendering, "plan_pdf_render", broken)
    done = threading.Event()

    def on_task_done(sender=None, **kwargs):
        if sender is not None and sender.name == "actionplans.build_export":
            done.set()

    task_postrun.connect(on_task_done, weak=False)
    app.conf.task_always_eager = False
    try:
        response = client.post(f"/action-plans/{plan.slug}/exports/pdf/")
        with start_worker(app, pool="solo", perform_ping_check=False):
            assert done.wait(timeout=60), "the worker did not run the export within 60 seconds"
    finally:
        task_postrun.disconnect(on_task_done)

    assert PlanExport.objects.get().status == "failed"
    assert renders == [plan.pk]
    page = client.get(response.url).content.decode()
    assert "The PDF could not be built" in page and "Try again" in page
