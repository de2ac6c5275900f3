"""The IRM evidence pack of a plan: one ZIP of its public record in the IRM's order. Its
forum's secretariat asks for it, a task builds it (after the commit) while the page shows a
progress bar, anyone downloads it. The pack holds exactly the files its README lists, and
nothing the public pages do not show: no draft commitment, no hidden contribution, no
unpublished workshop or minutes."""

import csv
import io
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from actionplans import rendering
from actionplans.models import Document, PlanExport
from core import queue
from forum.celery import app
from health import evidence, services
from health.models import EvidencePack
from members.models import User
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    CommitmentFactory,
    ForumFactory,
    MilestoneFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
    seat_give,
)
from tests.factories.health import (
    ContributionFactory,
    MinutesFactory,
    PastMeetingFactory,
    ReasonedResponseFactory,
)

pytestmark = pytest.mark.django_db

DRAFT_COMMITMENT = "Secret draft on lobbying registers"
HIDDEN_IDEA = "Hidden idea about salaries"
SUBMITTED_IDEA = "Idea still waiting for moderation"
SECRET_WORKSHOP = "Unannounced retreat on procurement"
DRAFT_MINUTES = "Draft minutes nobody may read yet"
CANCELLED_WORKSHOP = "Called-off hearing on budgets"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Without a broker a pack is built in a background thread (core.queue.background_run);
    # here it is built at once, in the test's own transaction.
    settings.BACKGROUND_THREADS = False


@pytest.fixture
def plan():
    """A plan with its co-creation process: a held workshop with minutes, attendance of both
    groups, a published contribution with its response; a public commitment with a
    milestone; a repository document; a seat on the forum body."""
    process = CoCreationProcessFactory(title="Co-creation of the 7th plan")
    now = timezone.now()
    held = WorkshopFactory(
        process=process,
        title="Open budgets workshop",
        status="held",
        starts_at=now - timedelta(days=20),
        announced_at=now - timedelta(days=40),
    )
    for group in ("government", "non_government"):
        RegistrationFactory(workshop=held, group=group, attendance="attended")
    MinutesFactory(workshop=held, text="<p>Agreed: publish budget data monthly.</p>")
    ReasonedResponseFactory(
        contribution=ContributionFactory(workshop=held, title="Publish the budget monthly")
    )
    plan = ActionPlanFactory(process=process, status="consultation", slug="nap-7")
    commitment = CommitmentFactory(plan=plan, status="included", title="Open procurement data")
    MilestoneFactory(commitment=commitment)
    Document.objects.create(
        plan=plan, kind="evidence", title="Procurement inventory", url="https://example.org/inv"
    )
    seat_give(UserFactory(full_name="Maria Body"), term_start=plan.period_start)
    return plan


@pytest.fixture
def unpublished(plan):
    """What the public does not see, in the plan's own records."""
    CommitmentFactory(plan=plan, status="draft", title=DRAFT_COMMITMENT)
    held = plan.process.workshops.get()
    ContributionFactory(workshop=held, status="hidden", title=HIDDEN_IDEA, text=HIDDEN_IDEA)
    ContributionFactory(workshop=held, status="submitted", title=SUBMITTED_IDEA)
    now = timezone.now()
    draft = WorkshopFactory(
        process=plan.process,
        status="draft",
        title=SECRET_WORKSHOP,
        starts_at=now - timedelta(days=10),
        announced_at=None,
    )
    MinutesFactory(workshop=draft, text=f"<p>{SECRET_WORKSHOP}</p>")
    other = WorkshopFactory(
        process=plan.process,
        status="held",
        title="Workshop with draft minutes",
        starts_at=now - timedelta(days=15),
    )
    MinutesFactory(workshop=other, text=f"<p>{DRAFT_MINUTES}</p>", published_at=None)
    WorkshopFactory(process=plan.process, status="cancelled", title=CANCELLED_WORKSHOP)


@pytest.fixture
def secretariat(client):
    client.force_login(UserFactory(roles=["secretariat"]))
    return client


@pytest.fixture
def quick_pdfs(monkeypatch):
    """Stand-ins for the WeasyPrint renders, where a test is not about the PDFs."""
    calls = []

    def plan_pdf(plan, *, commitment=None, progress=lambda percent: None):
        calls.append(plan.pk)
        progress(50)
        return b"%PDF-1.7\n% the plan\n", 3

    monkeypatch.setattr(rendering, "plan_pdf_render", plan_pdf)
    monkeypatch.setattr(evidence, "_register_pdf", lambda plan, rows: b"%PDF-1.7\n% register\n")
    return calls


def _address(plan, name="evidence_pack_request", *args):
    return reverse(f"health:{name}", args=[plan.forum.slug, plan.slug, *args])


def _built(plan, language="en", by=None) -> EvidencePack:
    by = by or UserFactory(roles=["secretariat"])
    with translation.override(language):
        pack = services.evidence_pack_request(plan=plan, language=language, by=by)
    return evidence.evidence_pack_build(pack.pk)


def _entries(pack) -> dict[str, bytes]:
    """The pack's files by their name inside its folder."""
    with pack.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        folder = evidence.pack_folder(pack.plan) + "/"
        assert all(name.startswith(folder) for name in archive.namelist())
        return {name[len(folder) :]: archive.read(name) for name in archive.namelist()}


def _readme_files(readme: str) -> list[str]:
    return re.findall(r"^- (\S+): ", readme, flags=re.MULTILINE)


def _text(name: str, content: bytes, tmp_path) -> str:
    if not name.endswith(".pdf"):
        return content.decode("utf-8")
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# --- What the pack holds ---------------------------------------------------------------------


def test_the_pack_holds_exactly_the_files_its_readme_lists_in_the_irms_order(plan):
    pack = _built(plan)

    assert pack.status == "done" and pack.progress == 100
    entries = _entries(pack)
    listed = _readme_files(entries["README.txt"].decode())
    assert sorted(listed) == sorted(entries)  # every file described, no file undescribed
    numbers = [name[:2] for name in listed[1:]]
    assert numbers == sorted(numbers)  # numbered in the order the README gives
    assert listed == [
        "README.txt",
        "01-co-creation-timeline.csv",
        "02-minutes/01-" + f"{timezone.localdate(timezone.now() - timedelta(days=20))}"
        "-open-budgets-workshop.html",
        "03-reasoned-responses.csv",
        "03-reasoned-responses.pdf",
        "04-forum-health.html",
        "04-forum-health-evidence.csv",
        "04-forum-health.json",
        "05-forum-body.csv",
        "06-commitments.pdf",
        "06-commitments.csv",
        "06-milestones.csv",
        "07-documents-index.csv",
    ]
    assert pack.size == pack.file.size
    assert entries["06-commitments.pdf"].startswith(b"%PDF")
    assert entries["03-reasoned-responses.pdf"].startswith(b"%PDF")
    timeline = entries["01-co-creation-timeline.csv"].decode()
    assert "Co-creation of the 7th plan" in timeline and "Open budgets workshop" in timeline
    assert ",20,1,1,2," in timeline  # notice in days, attendance: government, other, total
    assert "Publish the budget monthly" in entries["03-reasoned-responses.csv"].decode()
    assert "Maria Body" in entries["05-forum-body.csv"].decode()
    assert "Open procurement data" in entries["06-commitments.csv"].decode()
    assert "https://example.org/inv" in entries["07-documents-index.csv"].decode()
    minutes = next(v for k, v in entries.items() if k.startswith("02-minutes/")).decode()
    assert "Agreed: publish budget data monthly." in minutes
    # The plan's PDF is kept as the plan's export: the downloads page reuses it.
    assert PlanExport.objects.filter(plan=plan, status="done").count() == 1


@pytest.mark.requires_poppler
def test_nothing_unpublished_is_in_any_file_of_the_pack(plan, unpublished, tmp_path):
    pack = _built(plan)
    emails = list(User.objects.values_list("email", flat=True))

    entries = _entries(pack)
    assert "Open procurement data" in _text(
        "06-commitments.pdf", entries["06-commitments.pdf"], tmp_path
    )
    for name, content in entries.items():
        text = _text(name, content, tmp_path)
        for secret in (
            DRAFT_COMMITMENT,
            HIDDEN_IDEA,
            SUBMITTED_IDEA,
            SECRET_WORKSHOP,
            DRAFT_MINUTES,
            CANCELLED_WORKSHOP,
        ):
            assert secret not in text, f"{secret!r} is in {name}"
        for email in emails:  # members' addresses (a commitment's contact is OGP's template)
            assert email not in text, f"{email} is in {name}"


def test_without_published_minutes_the_readme_says_so(plan, quick_pdfs):
    plan.process.workshops.get().minutes.delete()

    entries = _entries(_built(plan))

    assert not any(name.startswith("02-") for name in entries)
    readme = entries["README.txt"].decode()
    assert sorted(_readme_files(readme)) == sorted(entries)
    assert "No minutes of these workshops are published" in readme


def test_the_readme_is_in_the_language_the_pack_was_asked_in(plan, secretariat, quick_pdfs):
    secretariat.cookies["django_language"] = "el"

    response = secretariat.post(_address(plan))
    pack = EvidencePack.objects.get()
    assert pack.language == "el"
    evidence.evidence_pack_build(pack.pk)
    pack.refresh_from_db()

    readme = _entries(pack)["README.txt"].decode()
    with translation.override("el"):
        period_start = formats.date_format(plan.period_start, "DATE_FORMAT")
    assert period_start in readme  # "1 Σεπτεμβρίου 2026"
    assert response.status_code == 302
    assert pack.file.name.endswith("-el.zip")


# --- Asking for it, following it, downloading it ----------------------------------------------


def test_the_request_queues_the_build_after_the_commit(
    plan, secretariat, quick_pdfs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = secretariat.post(_address(plan))

    pack = EvidencePack.objects.get()
    assert response.status_code == 302
    assert response.url == _address(plan, "evidence_pack", pack.pk)
    assert pack.status == "queued"  # nothing built before the commit
    for callback in callbacks:  # the commit: eager tasks build in this process (no thread)
        callback()
    pack.refresh_from_db()
    assert pack.status == "done"


def test_with_a_broker_the_named_task_is_queued(
    plan, quick_pdfs, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    app.conf.task_always_eager = False  # a broker: the conftest sets it back afterwards
    monkeypatch.setattr(
        queue, "task_enqueue", lambda name, *args, **kw: queued.append((name, args))
    )

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.evidence_pack_request(
            plan=plan, language="en", by=UserFactory(roles=["secretariat"])
        )

    assert queued == [("health.build_evidence_pack", (pack.pk,))]
    assert "health.build_evidence_pack" in app.tasks
    assert app.tasks["health.build_evidence_pack"](pack.pk) == pack.pk  # the task's body builds it
    pack.refresh_from_db()
    assert pack.status == "done"


def test_the_page_shows_a_progress_bar_then_the_download(plan, client, quick_pdfs):
    pack = EvidencePack.objects.create(
        plan=plan, language="en", fingerprint="x", status="running", progress=40
    )
    address = _address(plan, "evidence_pack", pack.pk)

    page = client.get(address).content.decode()
    assert '<progress id="evidence-pack-progress" max="100" value="40">' in page
    assert 'data-hx-trigger="every 1s"' in page
    partial = client.get(address, headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="evidence-pack-status"') and "<html" not in partial

    EvidencePack.objects.filter(pk=pack.pk).update(status="queued", progress=0)
    evidence.evidence_pack_build(pack.pk)
    ready = client.get(address, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in ready  # it stops asking
    assert _address(plan, "evidence_pack_download", pack.pk) in ready


def test_a_failed_build_says_so_and_offers_to_try_again(plan, secretariat, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("the fonts folder cannot be read")

    monkeypatch.setattr(evidence, "_register_pdf", broken)
    pack = _built(plan)

    assert pack.status == "failed" and "fonts folder" in pack.error
    page = secretariat.get(_address(plan, "evidence_pack", pack.pk)).content.decode()
    assert "could not be built" in page and "Try again" in page
    assert secretariat.get(_address(plan, "evidence_pack_download", pack.pk)).status_code == 404


def test_an_unchanged_plan_reuses_its_pack_and_a_change_builds_a_new_one(plan, quick_pdfs):
    first = _built(plan)
    assert quick_pdfs == [plan.pk]

    again = _built(plan)
    assert again.pk == first.pk
    assert quick_pdfs == [plan.pk]  # nothing rendered again

    seat_give(UserFactory(full_name="Newly Seated"), term_start=plan.period_start)
    changed = _built(plan)
    assert changed.pk != first.pk and changed.status == "done"
    assert quick_pdfs == [plan.pk]  # the plan's PDF did not change: its export is reused
    assert "Newly Seated" in _entries(changed)["05-forum-body.csv"].decode()

    Document.objects.create(
        plan=plan, kind="minutes", title="New minutes", url="https://example.org/m"
    )
    with_document = _built(plan)
    assert with_document.pk != changed.pk
    # The plan's PDF changed too (its forum-health annex counts the repository's documents).
    assert quick_pdfs == [plan.pk, plan.pk]
    assert "New minutes" in _entries(with_document)["07-documents-index.csv"].decode()

    other_language = _built(plan, language="uk")
    assert other_language.pk not in (first.pk, changed.pk)


def test_anyone_downloads_a_built_pack_and_finds_it_on_the_plans_health_page(
    plan, client, quick_pdfs
):
    pack = _built(plan)

    page = client.get(reverse("health:forum_plan_health", args=[plan.forum.slug, plan.slug]))
    download = _address(plan, "evidence_pack_download", pack.pk)
    assert download in page.content.decode()
    assert f'action="{_address(plan)}"' not in page.content.decode()  # not the visitor's
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None


# --- Who may build it, and hostile addresses ----------------------------------------------------


def test_only_the_plans_own_secretariat_builds_it(plan, client, quick_pdfs):
    address = _address(plan)

    assert client.post(address).status_code == 302  # to the log-in page
    assert "login" in client.post(address).url
    client.force_login(UserFactory())
    assert client.post(address).status_code == 403
    client.force_login(UserFactory(roles=["facilitator"]))
    assert client.post(address).status_code == 403
    client.force_login(UserFactory(roles=["secretariat"], roles__forum=ForumFactory()))
    assert client.post(address).status_code == 403
    assert not EvidencePack.objects.exists()

    client.force_login(UserFactory(roles=["secretariat"]))
    assert client.get(address).status_code == 405  # a GET builds nothing
    page = client.get(reverse("health:forum_plan_health", args=[plan.forum.slug, plan.slug]))
    assert f'action="{address}"' in page.content.decode()  # the button
    assert client.post(address).status_code == 302
    assert EvidencePack.objects.count() == 1


def test_malformed_or_foreign_addresses_are_not_found(plan, client, quick_pdfs):
    pack = _built(plan)
    other = ActionPlanFactory(slug="other-plan")
    elsewhere = ForumFactory()
    forum = default_forum().slug

    for address in [
        f"/forums/{forum}/health/plans/{plan.slug}/evidence-pack/999999/",
        f"/forums/{forum}/health/plans/{plan.slug}/evidence-pack/999999/download/",
        f"/forums/{forum}/health/plans/{other.slug}/evidence-pack/{pack.pk}/",
        f"/forums/{forum}/health/plans/{other.slug}/evidence-pack/{pack.pk}/download/",
        f"/forums/{elsewhere.slug}/health/plans/{plan.slug}/evidence-pack/{pack.pk}/",
        f"/forums/{forum}/health/plans/{plan.slug}/evidence-pack/abc/",
        f"/forums/{forum}/health/plans/{plan.slug}/evidence-pack/-1/download/",
        f"/forums/{forum}/health/plans/no-such-plan/evidence-pack/{pack.pk}/",
    ]:
        assert client.get(address).status_code == 404, address
    client.force_login(UserFactory(roles=["secretariat"]))
    assert (
        client.post(f"/forums/{forum}/health/plans/no-such-plan/evidence-pack/").status_code == 404
    )
    assert (
        client.post(f"/forums/{elsewhere.slug}/health/plans/{plan.slug}/evidence-pack/").status_code
        == 404
    )


@pytest.mark.requires_poppler
def test_the_timeline_lists_the_meetings_held_outside_the_portal(plan, quick_pdfs):
    first = _built(plan)
    recorded = PastMeetingFactory(
        forum=plan.forum,
        held_on=plan.period_start - timedelta(days=30),
        title="Plenary held before the portal",
        present_government=4,
        present_non_government=9,
    )

    pack = _built(plan)

    assert pack.pk != first.pk  # a recorded meeting changes what the pack holds
    timeline = _entries(pack)["01-co-creation-timeline.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(timeline)))
    row = next(r for r in rows if r["record"] == "past_meeting")
    assert row["title"] == "Plenary held before the portal"
    assert row["starts_at"] == recorded.held_on.isoformat()
    assert (row["attended_government"], row["attended_non_government"]) == ("4", "9")
    assert row["url"] == recorded.minutes_url
    assert [r["starts_at"][:10] for r in rows[1:]] == sorted(r["starts_at"][:10] for r in rows[1:])
