"""Exports: the PDF read back with a text extractor, CSV and JSON, the register, the cache,
the progress page and the command."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pypdf import PdfReader

from actionplans import rendering, services
from actionplans.models import ActionPlan, Commitment, PlanExport
from cocreation.services import contribution_post, contribution_publish
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def plan():
    plan = ActionPlanFactory(title="Εθνικό Σχέδιο Δράσης 2026–2028")
    titles = [
        "Ανοιχτά δεδομένα προϋπολογισμού",  # Greek
        "Відкриті дані про закупівлі",  # Ukrainian
        "Отворени подаци о набавкама",  # Serbian Cyrillic
        "Przejrzystość zamówień publicznych",  # Polish
        "Participação cidadã nas decisões",  # Portuguese
    ]
    for number, title in enumerate(titles, start=1):
        commitment = CommitmentFactory(plan=plan, number=number, title=title, status="included")
        for step in range(3):
            MilestoneFactory(
                commitment=commitment, position=step, activity=f"Milestone {number}.{step + 1}"
            )
    CommitmentFactory(plan=plan, number=9, title="Secret draft", status="draft")
    CommitmentFactory(plan=plan, number=10, title="Dropped idea", status="withdrawn")
    return plan


def test_the_pdf_holds_every_public_commitment_and_milestone_in_order(plan):
    pdf, pages = rendering.plan_pdf_render(plan)
    text, counted = _text(pdf)
    flat = _flat(text)
    assert pages == counted
    expected = [c.title for c in plan.commitments.filter(status="included").order_by("number")]
    positions = [flat.rindex(title) for title in expected]  # rindex: after the contents
    assert positions == sorted(positions)
    milestones = [f"Milestone {n}.{s}" for n in range(1, 6) for s in range(1, 4)]
    where = [flat.index(m) for m in milestones]
    assert where == sorted(where)
    assert "Secret draft" not in flat and "Dropped idea" not in flat
    # cover, contents, introduction, the commitments (flowing: see test_pdf_layout), annex
    assert 1 + 1 + 1 + 1 + 1 <= pages <= 14
    assert "Εθνικό Σχέδιο Δράσης" in flat  # real glyphs, read back


def test_headings_follow_the_plans_language(plan):
    pdf, _pages = rendering.plan_pdf_render(plan, commitment=plan.commitments.get(number=1))
    assert "Commitment 1" in _flat(_text(pdf)[0])


def test_csv_has_ogp_columns_and_published_content_only(client, plan):
    response = client.get(f"/action-plans/{plan.slug}/commitments.csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == rendering.COMMITMENT_COLUMNS
    assert [r["commitment_number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["access_to_information"] == "yes"
    milestones = client.get(f"/action-plans/{plan.slug}/commitments.csv?table=milestones")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(milestones.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 15


def test_csv_cells_cannot_become_formulas(client):
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan, status="included", title='=HYPERLINK("http://evil")')
    body = b"".join(client.get(f"/action-plans/{plan.slug}/commitments.csv").streaming_content)
    assert b"'=HYPERLINK" in body


def test_json_nests_milestones(client, plan):
    data = json.loads(client.get(f"/action-plans/{plan.slug}/plan.json").content)
    assert data["action_plan"]["slug"] == plan.slug
    assert len(data["commitments"]) == 5
    assert [m["milestone_number"] for m in data["commitments"][0]["milestones"]] == [1, 2, 3]


def test_the_register_lists_contributions_and_the_commitments_they_fed(client):
    workshop = WorkshopFactory()
    plan = ActionPlanFactory(process=workshop.process)
    secretariat = UserFactory(roles=["secretariat"])
    idea = contribution_post(
        workshop=workshop,
        author=RegistrationFactory(workshop=workshop).member,
        kind="idea",
        title="Open budgets",
        text="Yes",
    )
    contribution_publish(contribution=idea, by=secretariat)
    hidden = contribution_post(
        workshop=workshop,
        author=RegistrationFactory(workshop=workshop).member,
        kind="idea",
        title="Spam",
        text="Buy",
    )
    commitment = services.commitment_create(
        plan=plan, title="Open budget data", contributions=[idea], by=secretariat
    )
    commitment.status = "included"
    commitment.save()
    page = client.get(f"/action-plans/{plan.slug}/reasoned-responses/").content.decode()
    assert "Open budgets" in page and "1. Open budget data" in page
    assert hidden.title not in page
    body = b"".join(
        client.get(f"/action-plans/{plan.slug}/reasoned-responses.csv").streaming_content
    ).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(body)))
    assert (row["disposition"], row["commitments"]) == (
        "taken_into_commitment",
        "1. Open budget data",
    )


def test_only_the_secretariat_builds_a_pdf(client, plan):
    client.force_login(UserFactory())
    assert client.post(f"/action-plans/{plan.slug}/exports/pdf/").status_code == 403


def test_the_pdf_is_built_shown_and_cached_until_the_plan_changes(
    client, plan, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(roles=["secretariat"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/action-plans/{plan.slug}/exports/pdf/")
    export = PlanExport.objects.get()
    assert response.url == f"/action-plans/{plan.slug}/exports/{export.pk}/"
    page = client.get(response.url).content.decode()
    assert "The PDF is ready" in page
    download = client.get(f"/action-plans/{plan.slug}/exports/{export.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/action-plans/{plan.slug}/exports/pdf/")
    assert again.url == response.url  # nothing changed: the same file
    assert PlanExport.objects.count() == 1

    milestone = plan.commitments.get(number=1).milestones.first()
    milestone.completion = "complete"
    milestone.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(f"/action-plans/{plan.slug}/exports/pdf/")
    assert changed.url != response.url
    assert PlanExport.objects.filter(status="done").count() == 2


def test_the_progress_page_polls_while_the_pdf_is_built(client, plan):
    export = PlanExport.objects.create(plan=plan, fingerprint="x", status="running", progress=40)
    page = client.get(f"/action-plans/{plan.slug}/exports/{export.pk}/").content.decode()
    assert 'value="40"' in page and "hx-trigger" in page
    partial = client.get(
        f"/action-plans/{plan.slug}/exports/{export.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<div id="export-status"')


def test_the_command_writes_each_format(plan, tmp_path):
    for fmt in ("pdf", "csv", "json"):
        out = tmp_path / f"plan.{fmt}"
        call_command("export_action_plan", plan.slug, "--output", str(out), "--format", fmt)
        data = out.read_bytes()
        assert data
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "plan.json").read_text())["commitments"]


def test_the_command_names_the_known_plans_for_an_unknown_slug(plan, tmp_path):
    with pytest.raises(CommandError, match=plan.slug):
        call_command("export_action_plan", "nope", "--output", str(tmp_path / "x.pdf"))


def test_the_demo_plan_exports_every_title_and_milestone_in_order():
    call_command("demo_data", verbosity=0)
    for slug in ("nap-6-2026-2028", "nap-5-2023-2025"):
        plan = ActionPlan.objects.get(slug=slug)
        pdf, pages = rendering.plan_pdf_render(plan)
        flat = _flat(_text(pdf)[0])
        public = list(
            plan.commitments.filter(status__in=Commitment.PUBLIC_STATUSES).order_by("number")
        )
        cursor = flat.index(_flat(public[0].title))  # the contents list them first
        for commitment in public:
            cursor = flat.index(_flat(commitment.title), cursor + 1)
            for milestone in commitment.milestones.order_by("position"):
                cursor = flat.index(_flat(milestone.activity), cursor)
        assert len(public) + 3 <= pages <= 3 * len(public) + 6


@pytest.mark.parametrize("language", ["el", "uk", "sr", "pt", "pl"])
def test_the_pdf_headings_are_in_the_plans_language(plan, language):
    plan.language = language
    plan.save()
    with translation.override(language):
        contents = translation.gettext("Contents")
        annex = translation.gettext("Annex: the co-creation process")
    assert contents != "Contents"  # the catalogue has it
    flat = _flat(_text(rendering.plan_pdf_render(plan)[0])[0])
    assert contents in flat and annex in flat
    assert "Contents" not in flat
