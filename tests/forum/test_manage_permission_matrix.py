"""Who may open which page of the back office: every /manage/<forum>/ page, for five kinds
of user (anonymous, a plain member, a facilitator, the secretariat, the site administrator)
and two forums (the one the roles are held in, and another).

The pages are read from the back office's URL list, so a page added without a line here
fails the first test. Each page is asked the way it is used: a GET for a page, a POST
(with no data) for an action; a refused request must change nothing, and an allowed one
must reach the page (200, a redirect after the action, or 400 for the empty form), never
404 or 500.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocreation.models import OutreachAttachment, PastMeeting
from forum import manage_urls
from members.models import ForumRole, Invitation, MemberImport, OrganisationChange
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    OrganisationFactory,
    RegistrationFactory,
    ThemeFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
    seat_give,
)
from tests.factories.events import CampaignFactory, EventFactory
from tests.factories.health import DocumentFactory

pytestmark = pytest.mark.django_db

GET, POST = "get", "post"

# name: (method, the address's arguments after the forum's slug, from the forum's records).
# The order is the order of the requests: pages, then actions, then removals (an allowed
# removal takes its record away), the deletion of the draft last of all.
PAGES = {
    "index": (GET, lambda r: []),
    "workshops": (GET, lambda r: []),
    "workshop_create": (GET, lambda r: []),
    "process_create": (GET, lambda r: []),
    "process_edit": (GET, lambda r: [r["process"].pk]),
    "workshop_manage": (GET, lambda r: [r["workshop"].pk]),
    "workshop_edit": (GET, lambda r: [r["workshop"].pk]),
    "workshop_cancel": (GET, lambda r: [r["workshop"].pk]),
    "workshop_delete": (GET, lambda r: [r["workshop"].pk]),
    "registrants": (GET, lambda r: [r["workshop"].pk]),
    "registrants_csv": (GET, lambda r: [r["workshop"].pk]),
    "past_meetings": (GET, lambda r: []),
    "past_meeting_add": (GET, lambda r: []),
    "past_meeting_edit": (GET, lambda r: [r["past_meeting"].pk]),
    "plans": (GET, lambda r: []),
    "plan_create": (GET, lambda r: []),
    "plan": (GET, lambda r: [r["plan"].slug]),
    "plan_document_add": (GET, lambda r: [r["plan"].slug]),
    "body": (GET, lambda r: []),
    "body_seat_edit": (GET, lambda r: [r["seat"].pk]),
    "organisations": (GET, lambda r: []),
    "organisation_edit": (GET, lambda r: [r["organisation"].pk]),
    "invitations": (GET, lambda r: []),
    "imports": (GET, lambda r: []),
    "import_detail": (GET, lambda r: [r["import"].pk]),
    "import_rejected_csv": (GET, lambda r: [r["import"].pk]),
    "body_export": (GET, lambda r: ["csv"]),
    "organisations_export": (GET, lambda r: ["xlsx"]),
    "events": (GET, lambda r: []),
    "campaign_create": (GET, lambda r: []),
    "campaign_edit": (GET, lambda r: [r["campaign"].pk]),
    "events_review": (GET, lambda r: []),
    "events_by_organiser": (GET, lambda r: []),
    "body_seat_add": (POST, lambda r: []),
    "body_co_chair_replace": (POST, lambda r: []),
    "body_role_give": (POST, lambda r: []),
    "membership_decide": (POST, lambda r: [r["applicant"].pk]),
    "organisation_change_decide": (POST, lambda r: [r["change"].pk]),
    "event_decide": (POST, lambda r: [r["event"].pk]),
    "registrants_message": (POST, lambda r: [r["workshop"].pk]),
    "theme_add": (POST, lambda r: [r["process"].pk]),
    "theme_rename": (POST, lambda r: [r["process"].pk, r["theme"].pk]),
    "workshop_duplicate": (POST, lambda r: [r["workshop"].pk]),
    "workshop_reschedule": (POST, lambda r: [r["workshop"].pk]),
    "workshop_capacity": (POST, lambda r: [r["workshop"].pk]),
    "workshop_facilitator_add": (POST, lambda r: [r["workshop"].pk]),
    "workshop_organisation_add": (POST, lambda r: [r["workshop"].pk]),
    "workshop_attachment_add": (POST, lambda r: [r["workshop"].pk]),
    "workshop_mark_held": (POST, lambda r: [r["workshop"].pk]),
    "registration_seat_give": (POST, lambda r: [r["workshop"].pk, r["registration"].pk]),
    "plan_status": (POST, lambda r: [r["plan"].slug]),
    "plan_co_chairs_remind": (POST, lambda r: [r["plan"].slug]),
    "plan_panel_add": (POST, lambda r: [r["plan"].slug]),
    "organisation_verify": (POST, lambda r: [r["organisation"].pk]),
    "organisation_merge": (POST, lambda r: [r["organisation"].pk]),
    "invitation_add": (POST, lambda r: []),
    "import_map": (POST, lambda r: [r["import"].pk]),
    "import_confirm": (POST, lambda r: [r["import"].pk]),
    "workshop_publish": (POST, lambda r: [r["workshop"].pk]),
    "theme_remove": (POST, lambda r: [r["process"].pk, r["theme"].pk]),
    "workshop_facilitator_remove": (POST, lambda r: [r["workshop"].pk, r["facilitator"].pk]),
    "workshop_organisation_remove": (POST, lambda r: [r["workshop"].pk, r["partner"].pk]),
    "workshop_attachment_remove": (POST, lambda r: [r["workshop"].pk, r["attachment"].pk]),
    "plan_document_remove": (POST, lambda r: [r["plan"].slug, r["document"].pk]),
    "plan_panel_remove": (POST, lambda r: [r["plan"].slug, r["panelist"].pk]),
    "body_role_remove": (POST, lambda r: [r["role"].pk]),
    "invitation_action": (POST, lambda r: [r["invitation"].pk, "revoke"]),
    "past_meeting_delete": (POST, lambda r: [r["past_meeting"].pk]),
    "body_seat_end": (POST, lambda r: [r["seat"].pk]),
}
# Pages a facilitator of the forum opens: the overview, with the workshops they run. The
# workshop's own tools (check-in, board, minutes) are on its session pages, not here.
FACILITATOR_PAGES = {"index"}


def records_of(forum) -> dict:
    """One of everything a back-office page of `forum` is about."""
    process = CoCreationProcessFactory(forum=forum)
    workshop = WorkshopFactory(process=process, status="draft")
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    partner = OrganisationFactory()
    workshop.facilitating_organisations.add(partner)
    campaign = CampaignFactory(forum=forum)
    document = DocumentFactory(plan__forum=forum)
    panelist = UserFactory()
    document.plan.assessment_panel.add(panelist)
    return {
        "panelist": panelist,
        "process": process,
        "theme": ThemeFactory(process=process),
        "workshop": workshop,
        "registration": RegistrationFactory(workshop=workshop, status="waiting"),
        "facilitator": facilitator,
        "partner": partner,
        "attachment": OutreachAttachment.objects.create(
            workshop=workshop, title="Outreach kit", file="workshops/outreach/kit.pdf"
        ),
        "plan": document.plan,
        "document": document,
        "seat": seat_give(UserFactory(), forum=forum),
        "role": role_give(UserFactory(), ForumRole.Role.FACILITATOR, forum),
        "applicant": UserFactory(membership_status="pending"),
        "change": OrganisationChange.objects.create(
            member=UserFactory(), organisation=OrganisationFactory()
        ),
        "organisation": OrganisationFactory(verified=False),
        "campaign": campaign,
        "event": EventFactory(campaign=campaign, status="pending"),
        "past_meeting": PastMeeting.objects.create(
            forum=forum, held_on=timezone.localdate() - timedelta(days=400), title="Plenary"
        ),
        "import": MemberImport.objects.create(
            forum=forum,
            file="imports/2026/network.csv",
            filename="network.csv",
            kind="csv",
            headers=["Organisation", "Name", "E-mail"],
        ),
        "invitation": Invitation.objects.create(
            forum=forum,
            email="invited@example.org",
            name="Invited Person",
            organisation=partner,
            language="pt",
            nonce="n",
            expires_at=timezone.now() + timedelta(days=14),
        ),
    }


@pytest.fixture
def forums():
    ours = ForumFactory(name="Portugal's open government network", slug="portugal")
    theirs = ForumFactory(name="Pančevo local forum", slug="pancevo")
    return {"ours": ours, "theirs": theirs}


def person(kind, forum):
    if kind == "anonymous":
        return None
    if kind == "site administrator":
        return UserFactory(is_superuser=True)
    member = UserFactory()
    if kind in ("secretariat", "facilitator"):
        role_give(member, kind, forum)
    return member


def allowed(kind: str, which: str, page: str) -> bool:
    if kind == "site administrator":
        return True
    if which != "ours":
        return False
    return kind == "secretariat" or (kind == "facilitator" and page in FACILITATOR_PAGES)


def test_the_matrix_names_every_back_office_page():
    names = {pattern.name for pattern in manage_urls.urlpatterns}
    assert names == set(PAGES), "a /manage/ page without a line in the matrix, or a line too many"


@pytest.mark.parametrize("which", ["ours", "theirs"])
@pytest.mark.parametrize(
    "kind", ["anonymous", "member", "facilitator", "secretariat", "site administrator"]
)
def test_who_opens_each_back_office_page(client, forums, kind, which):
    user = person(kind, forums["ours"])
    if user is not None:
        client.force_login(user)
    forum = forums[which]
    records = records_of(forum)
    outcomes = {}
    for name, (method, arguments) in PAGES.items():
        url = reverse(f"manage:{name}", args=[forum.slug, *arguments(records)])
        response = getattr(client, method)(url)
        outcomes[name] = response.status_code
        if kind == "anonymous":
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("account_login")), name
        elif allowed(kind, which, name):
            assert response.status_code in (200, 302, 400), (name, response.status_code)
        else:
            assert response.status_code == 403, (name, response.status_code)
    if kind in ("anonymous", "member") or not allowed(kind, which, "workshop_delete"):
        # nothing refused changed anything
        records["workshop"].refresh_from_db()
        assert records["workshop"].status == "draft"
        assert OutreachAttachment.objects.filter(pk=records["attachment"].pk).exists()
        assert ForumRole.objects.filter(pk=records["role"].pk).exists()
        records["seat"].refresh_from_db()
        assert records["seat"].term_end is None
        records["change"].refresh_from_db()
        assert records["change"].status == OrganisationChange.Status.PENDING
        assert list(records["plan"].assessment_panel.all()) == [records["panelist"]]
        records["invitation"].refresh_from_db()
        assert records["invitation"].revoked_at is None
        assert PastMeeting.objects.filter(pk=records["past_meeting"].pk).exists()
