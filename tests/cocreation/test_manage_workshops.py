"""A forum's secretariat runs its co-creation at /manage/<forum>/workshops/: its processes
and themes, its workshops and each one's actions, with times in the workshop's own zone."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreation import services
from cocreation.models import CoCreationProcess, OutreachAttachment, Theme, Workshop
from cocreation.tasks import announce_workshop
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from core.notifications.models import Notification, NotificationRhythm
from members.models import StakeholderGroup
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def secretariat(city):
    member = UserFactory()
    role_give(member, "secretariat", city)
    return member


@pytest.fixture
def process(city):
    return CoCreationProcessFactory(forum=city, title="Co-creation of Pančevo's 1st plan")


@pytest.fixture
def workshop(process):
    return WorkshopFactory(
        process=process,
        title="Open budgets of Pančevo",
        time_zone="Europe/Belgrade",
        starts_at=datetime(2027, 1, 15, 9, 0, tzinfo=UTC),
        ends_at=datetime(2027, 1, 15, 12, 0, tzinfo=UTC),
    )


@pytest.fixture
def logged_in(client, secretariat):
    client.force_login(secretariat)
    return client


def manage(name, forum, *args):
    return reverse(f"manage:{name}", args=[forum.slug, *args])


def errors(response, field, form="form"):
    return response.context[form].errors.get(field, [])


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


# --- Who may enter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("workshops", []),
        ("process_create", []),
        ("process_edit", ["process"]),
        ("workshop_manage", ["workshop"]),
        ("workshop_edit", ["workshop"]),
        ("workshop_cancel", ["workshop"]),
        ("workshop_delete", ["workshop"]),
    ],
)
def test_members_and_another_forums_secretariat_get_403(
    client, city, process, workshop, name, args
):
    objects = {"process": process.pk, "workshop": workshop.pk}
    url = manage(name, city, *[objects[arg] for arg in args])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for outsider in (UserFactory(), UserFactory(roles=["secretariat"])):
        client.force_login(outsider)
        assert client.get(url).status_code == 403


def test_posting_an_action_as_another_forums_secretariat_changes_nothing(client, city, workshop):
    client.force_login(UserFactory(roles=["secretariat"]))
    for name in ("workshop_duplicate", "workshop_publish", "workshop_reschedule"):
        assert client.post(manage(name, city, workshop.pk)).status_code == 403
    assert Workshop.objects.count() == 1


def test_a_workshop_of_another_forum_or_a_malformed_id_is_a_404(logged_in, city):
    national = WorkshopFactory()  # the default forum's
    assert logged_in.get(manage("workshop_manage", city, national.pk)).status_code == 404
    assert logged_in.get(f"/manage/{city.slug}/workshops/abc/").status_code == 404
    assert logged_in.get(manage("workshop_manage", city, 99999)).status_code == 404


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_processes_themes_and_workshops_in_their_zone(logged_in, city, workshop):
    ThemeFactory(process=workshop.process, name="Open budgets")
    WorkshopFactory(title="The national one")  # the default forum's

    response = logged_in.get(manage("workshops", city))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Co-creation of Pančevo&#x27;s 1st plan" in page and "Open budgets" in page
    assert "Open budgets of Pančevo" in page and "The national one" not in page
    assert "10 a.m. CET" in page  # 09:00 UTC in Belgrade, named
    assert manage("workshop_manage", city, workshop.pk) in page
    assert manage("process_create", city) in page and manage("workshop_create", city) in page


def test_the_list_searches_titles_and_filters_by_status(logged_in, city, process, workshop):
    WorkshopFactory(process=process, title="Roads and parks", status="draft")

    titles = lambda response: [w.title for w in response.context["page"]]  # noqa: E731
    assert titles(logged_in.get(manage("workshops", city), {"q": "budget"})) == [workshop.title]
    drafts = logged_in.get(manage("workshops", city), {"status": "draft"})
    assert titles(drafts) == ["Roads and parks"]
    page = drafts.content.decode()
    assert 'value="draft" selected' in page  # the filter is kept


def test_the_list_keeps_the_search_across_pages(logged_in, city, process):
    for n in range(27):
        WorkshopFactory(process=process, title=f"Budget {n}")

    page = logged_in.get(manage("workshops", city), {"q": "Budget"}).content.decode()

    assert "?q=Budget&amp;page=2" in page


def test_the_list_costs_the_same_queries_for_one_or_many_workshops(logged_in, city, process):
    WorkshopFactory(process=process)
    ThemeFactory(process=process)
    url = manage("workshops", city)
    logged_in.get(url)  # warm the caches (session, forum)
    few = _queries(logged_in, url)
    for _n in range(4):
        workshop = WorkshopFactory(process=CoCreationProcessFactory(forum=city))
        RegistrationFactory(workshop=workshop)
        workshop.facilitators.add(UserFactory())
    logged_in.get(url)  # the header's cached facts, dropped by these changes, are kept again

    assert _queries(logged_in, url) == few


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Processes and themes ---------------------------------------------------------------------


def test_the_secretariat_creates_a_process(logged_in, city):
    response = logged_in.post(
        manage("process_create", city),
        {"title": "Co-creation of the 2nd plan", "description": "Second round."},
        follow=True,
    )

    process = CoCreationProcess.objects.get(forum=city)
    assert (process.title, process.description) == ("Co-creation of the 2nd plan", "Second round.")
    assert "is created" in " ".join(page_messages(response))
    assert AuditEntry.objects.filter(action="process.created").exists()


def test_a_process_without_a_title_is_a_field_error(logged_in, city):
    response = logged_in.post(manage("process_create", city), {"title": "", "description": "x"})
    assert response.status_code == 400
    assert errors(response, "title")
    assert "x</textarea>" in response.content.decode()


def test_the_secretariat_renames_a_process(logged_in, city, process):
    response = logged_in.post(
        manage("process_edit", city, process.pk), {"title": "Renamed", "description": ""}
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.title == "Renamed"


def test_themes_are_added_renamed_and_removed_unless_used(logged_in, city, process, workshop):
    logged_in.post(manage("theme_add", city, process.pk), {"name": "Open budgets"})
    theme = Theme.objects.get(process=process, name="Open budgets")
    logged_in.post(manage("theme_rename", city, process.pk, theme.pk), {"name": "Budgets"})
    theme.refresh_from_db()
    assert theme.name == "Budgets"

    used = workshop.theme
    response = logged_in.post(manage("theme_remove", city, process.pk, used.pk), follow=True)
    assert Theme.objects.filter(pk=used.pk).exists()
    assert "cannot be removed" in " ".join(page_messages(response))

    response = logged_in.post(manage("theme_remove", city, process.pk, theme.pk), follow=True)
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert "is removed" in " ".join(page_messages(response))


def test_a_theme_twice_is_a_field_error(logged_in, city, process):
    ThemeFactory(process=process, name="Roads")
    response = logged_in.post(manage("theme_add", city, process.pk), {"name": "roads"})
    assert response.status_code == 400
    assert errors(response, "name", "theme_form") == ["This process already has this theme."]


# --- One workshop ------------------------------------------------------------------------------


def test_the_workshop_page_shows_its_times_in_its_zone(logged_in, city, workshop):
    response = logged_in.get(manage("workshop_manage", city, workshop.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "10 a.m. CET" in page and "Europe/Belgrade" in page
    # The reschedule form shows the times as Belgrade's clocks do.
    assert 'value="2027-01-15T10:00"' in page


def test_the_workshop_page_costs_the_same_queries_with_more_people_and_files(
    logged_in, city, workshop
):
    url = manage("workshop_manage", city, workshop.pk)
    workshop.facilitators.add(UserFactory())
    workshop.facilitating_organisations.add(OrganisationFactory())
    logged_in.get(url)
    few = _queries(logged_in, url)
    for _n in range(3):
        workshop.facilitators.add(UserFactory())
        workshop.facilitating_organisations.add(OrganisationFactory())
        RegistrationFactory(workshop=workshop)
    logged_in.get(url)  # the header's cached facts, dropped by these changes, are kept again

    assert _queries(logged_in, url) == few


def test_the_secretariat_edits_a_workshop_with_registration_times_in_its_zone(
    logged_in, city, workshop, settings
):
    settings.TIME_ZONE = "Europe/Lisbon"
    theme = ThemeFactory(process=workshop.process, name="Budgets")
    response = logged_in.post(
        manage("workshop_edit", city, workshop.pk),
        {
            "title": "Open budgets, again",
            "kind": "training",
            "theme": theme.pk,
            "description": "d",
            "agenda": "1. Welcome",
            "venue": "City hall",
            "online_link": "",
            "language": "sr",
            "accessibility": "Step-free",
            "registration_opens_at": "2027-01-01T08:00",
            "registration_closes_at": "2027-01-14T18:00",
        },
        follow=True,
    )

    workshop.refresh_from_db()
    assert response.redirect_chain[-1][0] == manage("workshop_manage", city, workshop.pk)
    assert (workshop.title, workshop.kind, workshop.theme) == (
        "Open budgets, again",
        "training",
        theme,
    )
    assert workshop.agenda == "1. Welcome" and workshop.accessibility == "Step-free"
    assert workshop.registration_opens_at == datetime(2027, 1, 1, 7, 0, tzinfo=UTC)
    assert workshop.registration_closes_at == datetime(2027, 1, 14, 17, 0, tzinfo=UTC)
    assert "is saved" in " ".join(page_messages(response))
    page = logged_in.get(manage("workshop_edit", city, workshop.pk)).content.decode()
    assert 'value="2027-01-01T08:00"' in page  # shown again in Belgrade's time


def test_an_edit_closing_registration_before_it_opens_is_a_field_error(logged_in, city, workshop):
    response = logged_in.post(
        manage("workshop_edit", city, workshop.pk),
        {
            "title": "Kept title",
            "kind": "cocreation",
            "language": "en",
            "registration_opens_at": "2027-01-10T08:00",
            "registration_closes_at": "2027-01-09T08:00",
        },
    )
    assert response.status_code == 400
    assert errors(response, "registration_closes_at") == ["Registration must close after it opens."]
    assert 'value="Kept title"' in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.title == "Open budgets of Pančevo"


def test_duplicating_makes_a_draft_copy_at_the_same_times(logged_in, city, workshop):
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)

    response = logged_in.post(manage("workshop_duplicate", city, workshop.pk))

    copy = Workshop.objects.exclude(pk=workshop.pk).get()
    assert response.status_code == 302
    assert copy.status == Workshop.Status.DRAFT and copy.announced_at is None
    assert (copy.process, copy.starts_at, copy.ends_at) == (
        workshop.process,
        workshop.starts_at,
        workshop.ends_at,
    )
    assert list(copy.facilitators.all()) == [facilitator]
    assert copy.title == "Copy of Open budgets of Pančevo"


def test_publishing_a_draft_keeps_its_announcement_time(logged_in, city, process):
    draft = WorkshopFactory(process=process, status="draft")

    response = logged_in.post(manage("workshop_publish", city, draft.pk), follow=True)

    draft.refresh_from_db()
    assert draft.status == Workshop.Status.PUBLISHED and draft.announced_at is not None
    assert "is published" in " ".join(page_messages(response))


def test_publishing_announces_the_workshop_to_the_forums_members_once(
    logged_in, city, process, secretariat, settings, django_capture_on_commit_callbacks
):
    """The forum's members (its body, its roles, anyone who registered for one of its
    workshops) are told in their language, with the time in the workshop's zone; members
    of another forum and people still waiting for approval are not; e-mail goes only to
    those who did not turn these notices off; publishing again tells no one twice."""
    settings.TIME_ZONE = "UTC"
    on_the_body = UserFactory(preferred_language="el")
    seat_give(on_the_body, forum=city)
    earlier = WorkshopFactory(process=process, status="held")
    came_before = RegistrationFactory(workshop=earlier).member
    quiet = RegistrationFactory(workshop=earlier).member
    NotificationRhythm.objects.create(user=quiet, kind="workshop_announced")
    elsewhere = RegistrationFactory(workshop=WorkshopFactory()).member
    pending = UserFactory(membership_status="pending")
    RegistrationFactory(workshop=earlier, member=pending)
    draft = WorkshopFactory(
        process=process,
        status="draft",
        title="Open contracting in Pančevo",
        time_zone="Europe/Belgrade",
        starts_at=datetime(2027, 3, 3, 15, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 3, 17, 0, tzinfo=UTC),
    )
    page = logged_in.get(manage("workshop_manage", city, draft.pk))
    assert "s 4 members" in page.text  # the body, two who came before, the secretariat
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            manage("workshop_publish", city, draft.pk), {"announce": "on"}, follow=True
        )

    assert "4 members of the forum are told" in " ".join(page_messages(response))
    told = set(
        Notification.objects.filter(kind="workshop_announced").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {on_the_body.pk, came_before.pk, quiet.pk, secretariat.pk}
    assert elsewhere.pk not in told and pending.pk not in told
    greek = Notification.objects.get(kind="workshop_announced", recipient=on_the_body)
    assert "Open contracting in Pančevo" in greek.subject
    assert "03/03/2027 16:00 CET" in greek.body and "Έναρξη" in greek.body  # 16:00 in Belgrade
    recipients = {address for message in mail.outbox for address in message.to}
    assert quiet.email not in recipients and came_before.email in recipients

    services.workshop_status_change(workshop=draft, status="draft", by=secretariat)
    again = logged_in.get(manage("workshop_manage", city, draft.pk))
    assert "s 0 members" in again.text
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = logged_in.post(
            manage("workshop_publish", city, draft.pk), {"announce": "on"}, follow=True
        )
    assert callbacks  # the announcement ran again, and told nobody twice
    assert Notification.objects.filter(kind="workshop_announced").count() == 4
    assert "members of the forum are told" not in " ".join(page_messages(response))


def test_publishing_without_the_announcement_tells_nobody(logged_in, city, process):
    seat_give(UserFactory(), forum=city)
    draft = WorkshopFactory(process=process, status="draft")

    logged_in.post(manage("workshop_publish", city, draft.pk))

    draft.refresh_from_db()
    assert draft.status == Workshop.Status.PUBLISHED
    assert not Notification.objects.filter(kind="workshop_announced").exists()


def test_a_reschedule_typed_in_the_workshops_zone_tells_everyone(
    logged_in, city, workshop, settings
):
    settings.TIME_ZONE = "Europe/Athens"
    RegistrationFactory(workshop=workshop)
    mail.outbox.clear()

    response = logged_in.post(
        manage("workshop_reschedule", city, workshop.pk),
        {"starts_at": "2027-01-16T10:00", "ends_at": "2027-01-16T13:00"},
    )

    workshop.refresh_from_db()
    assert response.status_code == 302
    assert workshop.starts_at == datetime(2027, 1, 16, 9, 0, tzinfo=UTC)
    assert workshop.sequence == 1
    assert AuditEntry.objects.get(action="workshop.rescheduled").actor is not None


def test_a_reschedule_to_a_time_the_clocks_skip_is_a_field_error(logged_in, city, workshop):
    response = logged_in.post(
        manage("workshop_reschedule", city, workshop.pk),
        {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T05:00"},
    )
    assert response.status_code == 400
    assert (
        "does not exist in Europe/Belgrade" in errors(response, "starts_at", "reschedule_form")[0]
    )
    workshop.refresh_from_db()
    assert workshop.sequence == 0


def _seats(capacity, government, non_government, first_time=0, release=""):
    return {
        "capacity": capacity,
        "government_quota": government,
        "non_government_quota": non_government,
        "first_time_seats": first_time,
        "quota_release_hours": release,
    }


def test_the_seats_change_and_people_waiting_move_up(logged_in, city, workshop):
    RegistrationFactory(workshop=workshop)
    response = logged_in.post(
        manage("workshop_capacity", city, workshop.pk), _seats(10, 5, 5, 2, 48)
    )
    workshop.refresh_from_db()
    assert response.status_code == 302
    assert (workshop.capacity, workshop.government_quota, workshop.first_time_seats) == (10, 5, 2)
    assert workshop.quota_release_hours == 48


def test_a_capacity_below_the_seats_taken_says_how_many_are_taken(logged_in, city, workshop):
    for _n in range(2):
        RegistrationFactory(workshop=workshop, group=StakeholderGroup.GOVERNMENT)
        RegistrationFactory(workshop=workshop, group=StakeholderGroup.NON_GOVERNMENT)

    response = logged_in.post(manage("workshop_capacity", city, workshop.pk), _seats(3, 2, 1))

    assert response.status_code == 400
    assert errors(response, "capacity", "capacity_form") == [
        "4 seats are already taken: the capacity cannot be lower."
    ]
    workshop.refresh_from_db()
    assert workshop.capacity == 4


def test_quotas_not_adding_up_to_the_capacity_are_a_field_error(logged_in, city, workshop):
    response = logged_in.post(manage("workshop_capacity", city, workshop.pk), _seats(10, 3, 3))
    assert response.status_code == 400
    assert "add up to the capacity" in errors(response, "capacity", "capacity_form")[0]


def test_cancelling_asks_first_then_tells_everyone_the_reason(logged_in, city, workshop):
    RegistrationFactory(workshop=workshop)
    mail.outbox.clear()
    url = manage("workshop_cancel", city, workshop.pk)

    assert "Yes, cancel the workshop" in logged_in.get(url).content.decode()
    assert logged_in.post(url, {"reason": ""}).status_code == 400  # a reason is needed
    response = logged_in.post(url, {"reason": "The hall is flooded."}, follow=True)

    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.CANCELLED
    assert "is cancelled" in " ".join(page_messages(response))


def test_a_draft_without_registrations_is_deleted_after_confirmation(logged_in, city, process):
    draft = WorkshopFactory(process=process, status="draft")
    url = manage("workshop_delete", city, draft.pk)

    assert "Yes, delete the draft" in logged_in.get(url).content.decode()
    response = logged_in.post(url, follow=True)

    assert not Workshop.objects.filter(pk=draft.pk).exists()
    assert response.redirect_chain[-1][0] == manage("workshops", city)
    assert AuditEntry.objects.filter(action="workshop.deleted").exists()


def test_a_published_workshop_or_a_draft_with_registrations_is_not_deleted(
    logged_in, city, process, workshop
):
    draft = WorkshopFactory(process=process, status="draft")
    RegistrationFactory(workshop=draft)
    for kept in (workshop, draft):
        response = logged_in.post(manage("workshop_delete", city, kept.pk), follow=True)
        assert Workshop.objects.filter(pk=kept.pk).exists()
        assert "cannot be deleted" in " ".join(
            page_messages(response)
        ) or "Only a draft" in " ".join(page_messages(response))


def test_a_workshop_is_marked_held_only_once_it_has_started(logged_in, city, process):
    future = WorkshopFactory(process=process)
    started = WorkshopFactory(
        process=process,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
    )

    response = logged_in.post(manage("workshop_mark_held", city, future.pk), follow=True)
    assert "only once it has started" in " ".join(page_messages(response))
    logged_in.post(manage("workshop_mark_held", city, started.pk))

    future.refresh_from_db()
    started.refresh_from_db()
    assert future.status == Workshop.Status.PUBLISHED
    assert started.status == Workshop.Status.HELD


def test_facilitators_are_added_by_email_and_removed(logged_in, city, workshop):
    facilitator = UserFactory(email="ana@example.org")

    logged_in.post(
        manage("workshop_facilitator_add", city, workshop.pk), {"email": "ANA@example.org"}
    )
    assert list(workshop.facilitators.all()) == [facilitator]

    response = logged_in.post(
        manage("workshop_facilitator_add", city, workshop.pk), {"email": "nobody@example.org"}
    )
    assert response.status_code == 400
    assert errors(response, "email", "facilitator_form") == [
        "No active member has this e-mail address."
    ]

    logged_in.post(manage("workshop_facilitator_remove", city, workshop.pk, facilitator.pk))
    assert not workshop.facilitators.exists()


def test_partner_organisations_are_added_and_removed(logged_in, city, workshop):
    partner = OrganisationFactory(name="Pančevo Civic Lab")
    logged_in.post(
        manage("workshop_organisation_add", city, workshop.pk), {"organisation": partner.pk}
    )
    assert list(workshop.facilitating_organisations.all()) == [partner]
    logged_in.post(manage("workshop_organisation_remove", city, workshop.pk, partner.pk))
    assert not workshop.facilitating_organisations.exists()


def test_outreach_files_are_uploaded_and_removed(logged_in, city, workshop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("invitation.pdf", b"%PDF-1.4 invitation", "application/pdf")

    response = logged_in.post(
        manage("workshop_attachment_add", city, workshop.pk),
        {"title": "Invitation", "file": upload},
        follow=True,
    )

    attachment = OutreachAttachment.objects.get(workshop=workshop)
    assert attachment.title == "Invitation"
    assert "Invitation" in response.content.decode()

    missing = logged_in.post(manage("workshop_attachment_add", city, workshop.pk), {"title": "x"})
    assert missing.status_code == 400
    assert errors(missing, "file", "attachment_form")

    logged_in.post(manage("workshop_attachment_remove", city, workshop.pk, attachment.pk))
    assert not OutreachAttachment.objects.exists()


# --- The services check their permission themselves -------------------------------------------


def test_the_services_refuse_another_forums_secretariat(workshop):
    other = UserFactory(roles=["secretariat"])  # of the default forum
    calls = [
        lambda: services.workshop_status_change(workshop=workshop, status="draft", by=other),
        lambda: services.workshop_reschedule(
            workshop=workshop, starts_at=workshop.starts_at, ends_at=workshop.ends_at, by=other
        ),
        lambda: services.workshop_capacity_change(
            workshop=workshop, government_quota=5, non_government_quota=5, by=other
        ),
        lambda: services.workshop_cancel(workshop=workshop, reason="", by=other),
        lambda: services.workshop_duplicate(workshop=workshop, by=other),
        lambda: services.workshop_delete(workshop=workshop, by=other),
        lambda: services.workshop_update(workshop=workshop, fields={"title": "x"}, by=other),
        lambda: services.facilitator_add(workshop=workshop, email=other.email, by=other),
        lambda: services.theme_add(process=workshop.process, name="x", by=other),
        lambda: services.workshop_status_change(workshop=workshop, status="draft", by=None),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    workshop.refresh_from_db()
    assert (workshop.status, workshop.capacity) == ("published", 4)
    assert Workshop.objects.count() == 1


def test_renaming_a_theme_to_another_themes_name_is_an_error_beside_it(logged_in, city, process):
    ThemeFactory(process=process, name="Roads")
    parks = ThemeFactory(process=process, name="Parks")

    response = logged_in.post(manage("theme_rename", city, process.pk, parks.pk), {"name": "Roads"})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="theme-{parks.pk}-error"' in page and "already has this theme" in page
    parks.refresh_from_db()
    assert parks.name == "Parks"


def test_a_held_workshop_cannot_be_cancelled(logged_in, city, process):
    held = WorkshopFactory(
        process=process,
        status="held",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    response = logged_in.post(
        manage("workshop_cancel", city, held.pk), {"reason": "Too late"}, follow=True
    )
    held.refresh_from_db()
    assert held.status == Workshop.Status.HELD
    assert "cannot be cancelled" in " ".join(page_messages(response))


def _edit_data(workshop, **overrides):
    data = {
        "title": workshop.title,
        "kind": workshop.kind,
        "theme": workshop.theme_id or "",
        "description": "",
        "agenda": "",
        "venue": workshop.venue,
        "online_link": "",
        "language": workshop.language,
        "accessibility": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
    }
    data.update(overrides)
    return data


def test_a_new_venue_of_a_published_workshop_is_told_to_everyone_registered(
    logged_in, city, workshop, django_capture_on_commit_callbacks
):
    seated = RegistrationFactory(workshop=workshop).member
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(
            manage("workshop_edit", city, workshop.pk),
            _edit_data(workshop, venue="Cultural centre, hall 1"),
        )

    workshop.refresh_from_db()
    assert workshop.venue == "Cultural centre, hall 1" and workshop.sequence == 1
    assert [message.to for message in mail.outbox] == [[seated.email]]
    assert "Cultural centre, hall 1" in mail.outbox[0].body


def test_editing_the_text_alone_tells_nobody(logged_in, city, workshop):
    RegistrationFactory(workshop=workshop)
    mail.outbox.clear()

    logged_in.post(manage("workshop_edit", city, workshop.pk), _edit_data(workshop, agenda="New"))

    workshop.refresh_from_db()
    assert workshop.agenda == "New" and workshop.sequence == 0
    assert mail.outbox == []


def test_an_outreach_file_too_large_is_a_field_error(logged_in, city, workshop, monkeypatch):
    monkeypatch.setattr("cocreation.forms.OUTREACH_FILE_MAX_MB", 0)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4 big", "application/pdf")

    response = logged_in.post(
        manage("workshop_attachment_add", city, workshop.pk), {"title": "Big", "file": upload}
    )

    assert response.status_code == 400
    assert errors(response, "file", "attachment_form") == ["The file is larger than 0 MB."]
    assert not OutreachAttachment.objects.exists()


def test_a_workshop_cancelled_before_its_announcement_goes_out_is_not_announced(
    city, process, secretariat
):
    seat_give(UserFactory(), forum=city)
    workshop = WorkshopFactory(process=process, status="cancelled")

    assert announce_workshop(workshop.pk, secretariat.pk) == 0
    assert not Notification.objects.filter(kind="workshop_announced").exists()
