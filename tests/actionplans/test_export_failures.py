"""A PDF export that fails, or that no worker picks up, never blocks the plan's exports:
the page shows "failed" with a button to try again, and nothing is rendered twice."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from actionplans import rendering, services
from actionplans.models import PlanExport
from tests.factories import ActionPlanFactory, CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan():
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan, status="included", title="Open budgets")
    return plan


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(roles=["secretariat"]))
    return client


@pytest.fixture
def broken_render(monkeypatch):
    calls = []

    def render(plan, **kwargs):
        calls.append(plan.pk)
        raise OSError("the fonts folder cannot be read")

    monkeypatch.setattr(rendering, "plan_pdf_render", render)
    return calls


def test_a_failing_render_shows_failed_with_a_retry_and_is_rendered_once(
    secretariat_client, plan, broken_render, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/action-plans/{plan.slug}/exports/pdf/")

    assert response.status_code == 302  # not a server error
    export = PlanExport.objects.get()
    assert export.status == "failed" and "fonts folder" in export.error
    assert broken_render == [plan.pk]  # rendered once, never again behind the person's back
    page = secretariat_client.get(response.url).content.decode()
    assert "The PDF could not be built" in page
    assert "Try again" in page and "hx-trigger" not in page  # no endless polling

    monkeypatch.undo()  # the fault is mended: trying again builds a new PDF
    with django_capture_on_commit_callbacks(execute=True):
        retry = secretariat_client.post(f"/action-plans/{plan.slug}/exports/pdf/")
    assert retry.url != response.url
    assert "The PDF is ready" in secretariat_client.get(retry.url).content.decode()


def test_a_task_run_again_does_not_render_a_failed_or_finished_export_again(plan, broken_render):
    export = PlanExport.objects.create(plan=plan, fingerprint="x")

    rendering.export_build(export.pk)
    rendering.export_build(export.pk)  # a worker that got the task a second time

    assert broken_render == [plan.pk]
    export.refresh_from_db()
    assert export.status == "failed"


def test_an_export_no_worker_picked_up_in_time_is_given_up_and_built_anew(
    secretariat_client, plan, django_capture_on_commit_callbacks
):
    fingerprint = services.selectors.fingerprint(plan, kind="pdf")
    lost = PlanExport.objects.create(plan=plan, fingerprint=fingerprint)  # its task was lost
    PlanExport.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - services.EXPORT_QUEUE_TIMEOUT - timedelta(minutes=1)
    )

    page = secretariat_client.get(f"/action-plans/{plan.slug}/exports/{lost.pk}/")
    assert "The PDF could not be built" in page.content.decode()
    lost.refresh_from_db()
    assert lost.status == "failed"

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/action-plans/{plan.slug}/exports/pdf/")
    assert response.url != f"/action-plans/{plan.slug}/exports/{lost.pk}/"
    assert PlanExport.objects.filter(status="done").count() == 1


def test_an_export_waiting_less_than_the_timeout_is_still_awaited(secretariat_client, plan):
    fingerprint = services.selectors.fingerprint(plan, kind="pdf")
    waiting = PlanExport.objects.create(plan=plan, fingerprint=fingerprint)
    PlanExport.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - services.EXPORT_QUEUE_TIMEOUT + timedelta(minutes=1)
    )

    response = secretariat_client.post(f"/action-plans/{plan.slug}/exports/pdf/")

    assert response.url == f"/action-plans/{plan.slug}/exports/{waiting.pk}/"
    assert "Waiting for a worker" in secretariat_client.get(response.url).content.decode()


def test_a_built_pdf_is_reused_whatever_the_language_of_the_page_asking(plan):
    with translation.override("en"):
        english = services.selectors.fingerprint(plan, kind="pdf")
    with translation.override("el"):
        greek = services.selectors.fingerprint(plan, kind="pdf")

    assert english == greek
