"""The action plans in a forum's back office, /manage/<forum>/plans/: the list, one plan's
introduction, status and consultation dates, its commitments and their sign-offs, its
repository, and the e-mail to the co-chairs."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, Document, SignOff
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from core.notifications.models import Notification
from members.models import StakeholderGroup
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ForumFactory,
    UserFactory,
    member_of,
    role_give,
    seat_give,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo", country="RS")


@pytest.fixture
def secretariat(city):
    member = UserFactory(full_name="Jelena Marković")
    role_give(member, "secretariat", city)
    return member


@pytest.fixture
def plan(city):
    return ActionPlanFactory(forum=city, title="Pančevo local action plan 2027", slug="pancevo-1")


@pytest.fixture
def document(plan, secretariat):
    return Document.objects.create(
        plan=plan, kind="minutes", title="Minutes of the first meeting", url="https://a.example"
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _pages(plan, document):
    slug = plan.forum.slug
    return [
        reverse("manage:plans", args=[slug]),
        reverse("manage:plan", args=[slug, plan.slug]),
        reverse("manage:plan_document_add", args=[slug, plan.slug]),
        reverse("manage:plan_document_remove", args=[slug, plan.slug, document.pk]),
    ]


@pytest.mark.parametrize("index", range(4))
def test_the_forums_secretariat_opens_every_plan_page(client, secretariat, plan, document, index):
    client.force_login(secretariat)
    assert client.get(_pages(plan, document)[index]).status_code == 200


@pytest.mark.parametrize("index", range(4))
@pytest.mark.parametrize("who", ["member", "other forum's secretariat", "facilitator"])
def test_others_are_refused_every_plan_page(client, city, plan, document, index, who):
    if who == "member":
        user = UserFactory()
    elif who == "facilitator":
        user = UserFactory()
        role_give(user, "facilitator", city)
    else:
        user = UserFactory(roles=["secretariat"])  # of the default forum
    client.force_login(user)
    assert client.get(_pages(plan, document)[index]).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, plan, document):
    for page in _pages(plan, document):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_another_forums_plan_and_unknown_ids_are_not_found(client, secretariat, city):
    other = ActionPlanFactory(slug="national-5")  # the default forum's
    client.force_login(secretariat)
    assert client.get(reverse("manage:plan", args=[city.slug, other.slug])).status_code == 404
    assert client.get(f"/manage/{city.slug}/plans/no-such-plan/").status_code == 404
    plan = ActionPlanFactory(forum=city, slug="mine")
    assert client.get(f"/manage/{city.slug}/plans/mine/documents/abc/remove/").status_code == 404
    assert client.get(f"/manage/{city.slug}/plans/mine/documents/999999/remove/").status_code == 404
    assert plan.pk


def test_the_list_shows_the_forums_plans_only_and_searches_them(client, secretariat, city, plan):
    ActionPlanFactory(forum=city, title="Second plan 2029", slug="pancevo-2")
    ActionPlanFactory(title="National plan of another forum")
    client.force_login(secretariat)

    page = client.get(reverse("manage:plans", args=[city.slug])).content.decode()
    found = client.get(reverse("manage:plans", args=[city.slug]), {"q": "second"}).content.decode()

    assert "Pančevo local action plan 2027" in page and "Second plan 2029" in page
    assert "National plan of another forum" not in page
    assert "Second plan 2029" in found and "Pančevo local action plan 2027" not in found
    assert reverse("manage:plan", args=[city.slug, plan.slug]) in page


def test_the_list_needs_the_same_queries_for_one_plan_or_many(client, secretariat, city):
    client.force_login(secretariat)
    url = reverse("manage:plans", args=[city.slug])
    ActionPlanFactory(forum=city)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    one = len(one)  # counted now: the next request starts a new log
    for _ in range(4):
        ActionPlanFactory(forum=city)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == one


def test_the_plan_page_needs_the_same_queries_for_one_commitment_or_many(
    client, secretariat, city, plan
):
    gov = member_of(StakeholderGroup.GOVERNMENT)
    seat_give(gov, forum=city, co_chair=True)
    client.force_login(secretariat)
    url = reverse("manage:plan", args=[city.slug, plan.slug])
    CommitmentFactory(plan=plan, status="forum_review")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    one = len(one)  # counted now: the next request starts a new log
    for _ in range(3):
        commitment = CommitmentFactory(plan=plan, status="forum_review")
        SignOff.objects.create(commitment=commitment, stakeholder_group="government", co_chair=gov)
    client.get(url)  # the header's cached facts, dropped by these changes, are kept again
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == one


def test_the_secretariat_edits_the_introduction_title_version_period_and_language(
    client, secretariat, city, plan
):
    client.force_login(secretariat)

    response = client.post(
        reverse("manage:plan", args=[city.slug, plan.slug]),
        {
            "title": "Pančevo local action plan 2027-2029",
            "version": "2",
            "period_start": "2027-01-01",
            "period_end": "2029-12-31",
            "language": "sr",
            "vision": "An open city.",
            "efforts_to_date": "A first plan in 2024.",
            "development": "Six workshops.",
            "consultation_opens_at": "",
            "consultation_closes_at": "",
        },
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.version, plan.language) == (
        "Pančevo local action plan 2027-2029",
        "2",
        "sr",
    )
    assert (plan.vision, plan.efforts_to_date, plan.development) == (
        "An open city.",
        "A first plan in 2024.",
        "Six workshops.",
    )
    assert plan.period_end == date(2029, 12, 31)
    entry = AuditEntry.objects.get(action="plan.edited")
    assert "title" in entry.data["fields"] and "vision" in entry.data["fields"]
    assert any("is saved" in m for m in _messages(response))


def _form(plan, **changes):
    data = {
        "title": plan.title,
        "version": plan.version,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "language": plan.language,
        "vision": plan.vision,
        "efforts_to_date": plan.efforts_to_date,
        "development": plan.development,
        "consultation_opens_at": "",
        "consultation_closes_at": "",
    }
    data.update(changes)
    return data


def test_the_secretariat_asks_for_each_commitment_on_a_new_page_of_the_pdf(
    client, secretariat, city, plan
):
    client.force_login(secretariat)
    url = reverse("manage:plan", args=[city.slug, plan.slug])
    page = client.get(url).content.decode()
    assert "Each commitment on a new page in the PDF" in page
    assert 'name="pdf_commitment_per_page"' in page
    assert not plan.pdf_commitment_per_page  # by default the commitments flow

    response = client.post(url, _form(plan, pdf_commitment_per_page="on"))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.pdf_commitment_per_page
    entry = AuditEntry.objects.get(action="plan.edited")
    assert entry.data["fields"] == "pdf_commitment_per_page"

    client.post(url, _form(plan))  # an unticked box is not sent: back to flowing
    plan.refresh_from_db()
    assert not plan.pdf_commitment_per_page


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(
    client, secretariat, city, plan
):
    client.force_login(secretariat)

    response = client.post(
        reverse("manage:plan", args=[city.slug, plan.slug]),
        _form(plan, title="Kept in the form", period_end="2020-01-01"),
    )

    assert response.status_code == 400
    form = response.context["edit_form"]
    assert "period_end" in form.errors
    assert 'value="Kept in the form"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Pančevo local action plan 2027"


def test_consultation_dates_are_typed_in_the_portals_zone_and_labelled(
    client, secretariat, city, plan, settings
):
    settings.TIME_ZONE = "Europe/Belgrade"
    client.force_login(secretariat)

    page = client.get(reverse("manage:plan", args=[city.slug, plan.slug])).content.decode()
    response = client.post(
        reverse("manage:plan", args=[city.slug, plan.slug]),
        _form(
            plan,
            consultation_opens_at="2027-03-01T10:00",
            consultation_closes_at="2027-03-15T18:00",
        ),
    )

    assert "Europe/Belgrade" in page
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.consultation_opens_at == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert plan.consultation_closes_at == datetime(2027, 3, 15, 17, 0, tzinfo=UTC)
    again = client.get(reverse("manage:plan", args=[city.slug, plan.slug])).content.decode()
    assert 'value="2027-03-01T10:00"' in again


def test_a_consultation_closing_before_it_opens_is_refused(client, secretariat, city, plan):
    client.force_login(secretariat)

    response = client.post(
        reverse("manage:plan", args=[city.slug, plan.slug]),
        _form(
            plan,
            consultation_opens_at="2027-03-15T10:00",
            consultation_closes_at="2027-03-01T10:00",
        ),
    )

    assert response.status_code == 400
    assert "consultation_closes_at" in response.context["edit_form"].errors


def test_the_status_goes_to_consultation_only_once_its_dates_are_set(
    client, secretariat, city, plan
):
    client.force_login(secretariat)
    url = reverse("manage:plan_status", args=[city.slug, plan.slug])

    refused = client.post(url, {"status": "consultation"})
    plan.refresh_from_db()
    assert refused.status_code == 400
    assert "status" in refused.context["status_form"].errors
    assert plan.status == "drafting"

    plan.consultation_opens_at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    plan.consultation_closes_at = datetime(2027, 3, 15, 9, tzinfo=UTC)
    plan.save()
    done = client.post(url, {"status": "consultation"})

    plan.refresh_from_db()
    assert done.status_code == 302
    assert plan.status == "consultation"
    entry = AuditEntry.objects.get(action="plan.status")
    assert (entry.data["before"], entry.data["after"]) == ("drafting", "consultation")
    assert any("Public consultation" in m for m in _messages(done))


def test_an_unknown_status_is_refused(client, secretariat, city, plan):
    client.force_login(secretariat)
    response = client.post(
        reverse("manage:plan_status", args=[city.slug, plan.slug]), {"status": "nonsense"}
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.status == "drafting"


def test_changing_the_status_is_not_allowed_to_others(client, city, plan):
    other = UserFactory(roles=["secretariat"])
    with pytest.raises(NotAllowed):
        services.plan_status_change(plan=plan, status="adopted", by=other)
    with pytest.raises(NotAllowed):
        services.plan_status_change(plan=plan, status="adopted", by=UserFactory())
    client.force_login(other)
    response = client.post(
        reverse("manage:plan_status", args=[city.slug, plan.slug]), {"status": "adopted"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "drafting"


def test_editing_is_not_allowed_to_another_forums_secretariat(plan):
    with pytest.raises(NotAllowed):
        services.plan_edit(
            plan=plan, fields={"title": "Taken"}, by=UserFactory(roles=["secretariat"])
        )


@pytest.fixture
def co_chairs(city):
    gov = member_of(StakeholderGroup.GOVERNMENT, full_name="Milan Petrović")
    ngo = member_of(StakeholderGroup.NON_GOVERNMENT, full_name="Ana Kovač", preferred_language="el")
    seat_give(gov, forum=city, co_chair=True)
    seat_give(ngo, forum=city, co_chair=True)
    return gov, ngo


def test_commitments_are_shown_by_status_with_who_signed_and_who_has_not(
    client, secretariat, city, plan, co_chairs
):
    gov, ngo = co_chairs
    review = CommitmentFactory(plan=plan, status="forum_review", title="Open budget")
    SignOff.objects.create(commitment=review, stakeholder_group="government", co_chair=gov)
    CommitmentFactory(plan=plan, status="draft", title="Open contracts")
    client.force_login(secretariat)

    page = client.get(reverse("manage:plan", args=[city.slug, plan.slug])).content.decode()

    assert "In forum review" in page and "Draft" in page
    assert "Open budget" in page and "Open contracts" in page
    assert "signed off by Milan Petrović" in page
    assert "not signed off yet by Ana Kovač" in page


def test_the_co_chairs_are_emailed_once_a_day_about_what_awaits_their_sign_off(
    client, secretariat, city, plan, co_chairs
):
    gov, ngo = co_chairs
    review = CommitmentFactory(plan=plan, status="forum_review", title="Open budget")
    SignOff.objects.create(commitment=review, stakeholder_group="government", co_chair=gov)
    CommitmentFactory(plan=plan, status="draft")
    client.force_login(secretariat)
    url = reverse("manage:plan_co_chairs_remind", args=[city.slug, plan.slug])

    first = client.post(url)
    second = client.post(url)

    notices = Notification.objects.filter(kind="sign_off_awaited")
    assert [(n.recipient, n.language) for n in notices] == [(ngo, "el")]
    assert "Open budget" in notices[0].subject
    assert AuditEntry.objects.filter(action="commitment.sign_off_reminded").count() == 1
    assert first.status_code == second.status_code == 302
    assert any("1 reminder" in m for m in _messages(first))
    assert any("No reminder to send" in m for m in _messages(second))


def test_reminding_the_co_chairs_is_for_the_forums_secretariat_only(client, city, plan):
    client.force_login(UserFactory(roles=["secretariat"]))
    response = client.post(reverse("manage:plan_co_chairs_remind", args=[city.slug, plan.slug]))
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        services.co_chairs_remind(plan=plan, by=UserFactory())


def test_the_secretariat_adds_a_link_to_the_repository(client, secretariat, city, plan):
    client.force_login(secretariat)

    response = client.post(
        reverse("manage:plan_document_add", args=[city.slug, plan.slug]),
        {
            "kind": "draft",
            "title": "Draft plan for consultation",
            "dated": "2027-02-20",
            "url": "https://pancevo.example/draft.pdf",
        },
    )

    assert response.status_code == 302
    document = plan.documents.get()
    assert (document.kind, document.dated, document.added_by) == (
        "draft",
        date(2027, 2, 20),
        secretariat,
    )
    page = client.get(reverse("manage:plan", args=[city.slug, plan.slug])).content.decode()
    assert "Draft plan for consultation" in page


def test_a_document_without_file_or_link_is_refused(client, secretariat, city, plan):
    client.force_login(secretariat)

    response = client.post(
        reverse("manage:plan_document_add", args=[city.slug, plan.slug]),
        {"kind": "draft", "title": "Nothing attached", "dated": "2027-02-20"},
    )

    assert response.status_code == 400
    assert 'value="Nothing attached"' in response.content.decode()
    assert not plan.documents.exists()


def test_removing_a_document_asks_first_then_removes_it(client, secretariat, city, plan, document):
    client.force_login(secretariat)
    url = reverse("manage:plan_document_remove", args=[city.slug, plan.slug, document.pk])

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Minutes of the first meeting" in asked.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()

    response = client.post(url)

    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert AuditEntry.objects.filter(action="document.removed").count() == 1
    assert any("is removed" in m for m in _messages(response))


def test_another_forums_secretariat_cannot_remove_a_document(client, city, plan, document):
    client.force_login(UserFactory(roles=["secretariat"]))
    url = reverse("manage:plan_document_remove", args=[city.slug, plan.slug, document.pk])
    assert client.post(url).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_plan_of_another_forum_is_not_reached_through_this_forum(client, secretariat, city):
    other = ActionPlanFactory(slug="national-6")
    client.force_login(secretariat)
    url = reverse("manage:plan_status", args=[city.slug, other.slug])
    assert client.post(url, {"status": "adopted"}).status_code == 404
    other.refresh_from_db()
    assert other.status == ActionPlan.Status.DRAFTING


def test_a_file_is_added_and_its_removal_deletes_it(
    client, secretariat, city, plan, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretariat)
    added = client.post(
        reverse("manage:plan_document_add", args=[city.slug, plan.slug]),
        {
            "kind": "minutes",
            "title": "Minutes, 3 May",
            "dated": "2027-05-03",
            "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        },
    )
    document = plan.documents.get()
    path = tmp_path / document.file.name
    assert added.status_code == 302
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("manage:plan_document_remove", args=[city.slug, plan.slug, document.pk])
        )

    assert not plan.documents.exists()
    assert not path.exists()


def test_a_file_of_the_wrong_type_is_refused_beside_the_field(
    client, secretariat, city, plan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretariat)
    response = client.post(
        reverse("manage:plan_document_add", args=[city.slug, plan.slug]),
        {
            "kind": "minutes",
            "title": "A program",
            "dated": "2027-05-03",
            "file": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not plan.documents.exists()


def test_clearing_the_dates_of_a_running_consultation_is_refused(client, secretariat, city):
    plan = ActionPlanFactory(forum=city, in_consultation=True, slug="in-consultation")
    client.force_login(secretariat)

    response = client.post(reverse("manage:plan", args=[city.slug, plan.slug]), _form(plan))

    assert response.status_code == 400
    assert "Set the consultation" in response.content.decode()
    plan.refresh_from_db()
    assert plan.consultation_opens_at is not None
