"""Guests: a resident registers for a public event without an account, with a name and an
e-mail address they confirm; the organiser's list shows them beside members; they cancel
from the e-mail; their name and address are erased after the event (core.personal_data)."""

import csv
import io
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from core.personal_data import personal_data_expire
from events import services
from events.models import EventRegistration, GuestRequest
from members.models import Organisation, User
from tests.events.conftest import mail_to
from tests.factories import UserFactory
from tests.factories.events import EventFactory, GuestRegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED = EventRegistration.Status.CONFIRMED
WAITING = EventRegistration.Status.WAITING
CANCELLED = EventRegistration.Status.CANCELLED


def open_event(**kwargs):
    fields = {"registration_required": True, "open_to_guests": True, "title": "Open budgets"}
    fields.update(kwargs)
    return EventFactory(**fields)


def mails_for(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def link_in(message, name: str) -> str:
    """The path of the link to `name` ("confirm", "cancel" or the status page) in an e-mail."""
    pattern = {
        "confirm": r"https?://\S+/events/guests/[\w-]+/confirm/",
        "cancel": r"https?://\S+/events/guests/[\w-]+/cancel/",
        "status": r"https?://\S+/events/guests/[\w-]+/(?=\s)",
    }[name]
    found = re.search(pattern, message.body)
    assert found, f"no {name} link in: {message.body}"
    return urlsplit(found.group(0)).path


def ask(client, event, *, name="Olena Kovalenko", email="olena@example.org", **more):
    return client.post(
        reverse("events:guest_register", args=[event.pk]),
        {"name": name, "email": email, **more},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_guest_registers_confirms_from_the_email_and_cancels_from_the_email(
    client, django_capture_on_commit_callbacks
):
    event = open_event(capacity=10)
    people, organisations = User.objects.count(), Organisation.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, event, accessibility_needs="Step-free access")

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "We have sent an e-mail to olena@example.org" in " ".join(messages_of(page))
    [first] = mails_for("olena@example.org")
    assert first.subject == "Confirm your registration for Open budgets"
    assert "Hello Olena Kovalenko" in first.body
    # Not a place yet: only the link makes it one.
    assert not EventRegistration.objects.filter(event=event).exists()

    confirm = link_in(first, "confirm")
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Confirm my registration" in page.content.decode()
    assert not EventRegistration.objects.filter(event=event).exists()  # a GET confirms nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)
    assert response.status_code == 302
    registration = EventRegistration.objects.get(event=event)
    assert (registration.member, registration.status) == (None, CONFIRMED)
    assert registration.guest_name == "Olena Kovalenko"
    assert registration.accessibility_needs == "Step-free access"
    assert registration.verified_at is not None
    status_page = client.get(response["Location"])
    assert "You have a place at this event." in status_page.content.decode()

    [_, placed] = mails_for("olena@example.org")
    assert placed.subject == "Your place at Open budgets is confirmed"
    assert [name for name, _content, _type in placed.attachments] == [f"event-{event.pk}.ics"]
    cancel = link_in(placed, "cancel")
    assert client.get(link_in(placed, "status")).status_code == 200

    page = client.get(cancel)
    assert page.status_code == 200
    assert "Cancel my place" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == CONFIRMED  # a GET cancels nothing

    response = client.post(cancel, follow=True)
    assert response.redirect_chain[-1][0] == event.get_absolute_url()
    assert "Your registration is cancelled." in messages_of(response)
    registration.refresh_from_db()
    assert registration.status == CANCELLED

    # Used links: the place is gone, said so (410), never a server error.
    for path in (cancel, confirm, link_in(placed, "status")):
        used = client.get(path)
        assert used.status_code == 410, path
        assert "This registration was cancelled." in used.content.decode()
    assert client.post(cancel).status_code == 410
    # No account, no organisation: nothing for the directory.
    assert (User.objects.count(), Organisation.objects.count()) == (people, organisations)


def test_opening_the_confirmation_link_twice_keeps_one_place(client):
    event = open_event()
    ask(client, event)
    confirm = link_in(mails_for("olena@example.org")[0], "confirm")

    client.post(confirm)
    again = client.post(confirm, follow=True)

    assert again.status_code == 200
    assert "Your registration is already confirmed." in messages_of(again)
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_a_place_counts_only_once_confirmed_and_the_capacity_holds(client):
    event = open_event(capacity=1)
    ask(client, event)  # the request alone takes no place:
    member = UserFactory()
    held = services.event_register(event=event, member=member)
    assert held.status == CONFIRMED

    response = client.post(link_in(mails_for("olena@example.org")[0], "confirm"), follow=True)

    guest = EventRegistration.objects.get(event=event, member__isnull=True)
    assert guest.status == WAITING
    assert "you are number 1 on the waiting list" in " ".join(messages_of(response))
    waiting_mail = mails_for("olena@example.org")[-1]
    assert waiting_mail.subject == "You are on the waiting list of Open budgets"
    assert "at position 1" in waiting_mail.body
    assert "/cancel/" in waiting_mail.body

    services.event_registration_cancel(registration=held, by=member)

    guest.refresh_from_db()
    assert guest.status == CONFIRMED
    promoted = mails_for("olena@example.org")[-1]
    assert promoted.subject == "A place at Open budgets is now yours"
    assert link_in(promoted, "cancel") == reverse("events:guest_cancel", args=[guest.guest_token])


def test_a_guest_leaving_gives_the_place_to_the_member_waiting(client):
    event = open_event(capacity=1)
    guest = GuestRegistrationFactory(event=event)
    member = UserFactory()
    waiting = services.event_register(event=event, member=member)
    assert waiting.status == WAITING

    client.post(reverse("events:guest_cancel", args=[guest.guest_token]))

    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED
    assert "A place at" in mail_to(member)[-1].subject


def test_the_same_address_twice_gets_the_same_answer_and_no_second_place(
    client, django_capture_on_commit_callbacks
):
    event = open_event()
    answers = []
    for email in ("olena@example.org", "  Olena@Example.ORG "):
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, event, email=email)
        answers.append((response.status_code, messages_of(client.get(response["Location"]))))
    assert answers[0][0] == answers[1][0] == 302
    assert answers[0][1] == [
        "Thank you. We have sent an e-mail to olena@example.org: open the link in it to "
        "confirm your registration. Your place counts from then."
    ]
    assert answers[1][1] == [
        m.replace("olena@example.org", "Olena@Example.ORG") for m in answers[0][1]
    ]
    assert GuestRequest.objects.filter(event=event).count() == 1
    [sent] = mails_for("olena@example.org")  # not again within ten minutes: no flooding
    cache.clear()  # ten minutes later
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, event, email="olena@example.org")
    links = {link_in(message, "confirm") for message in mails_for("olena@example.org")}
    assert len(mails_for("olena@example.org")) == 2
    assert links == {link_in(sent, "confirm")}  # the same link, sent again

    client.post(links.pop())
    with django_capture_on_commit_callbacks(execute=True):
        third = ask(client, event, email="olena@example.org")

    assert third.status_code == 302
    assert "We have sent an e-mail to olena@example.org" in " ".join(
        messages_of(client.get(third["Location"]))
    )
    assert EventRegistration.objects.filter(event=event).count() == 1
    assert not GuestRequest.objects.exists()
    reminder = mails_for("olena@example.org")[-1]
    assert reminder.subject == "Your place at Open budgets is confirmed"  # with its cancel link
    assert "/cancel/" in reminder.body


@pytest.mark.parametrize(
    "path",
    [
        "/events/guests/{token}/",
        "/events/guests/{token}/confirm/",
        "/events/guests/{token}/cancel/",
    ],
)
def test_an_unknown_link_is_a_clear_404(client, path):
    for token in ("x" * 43, "nul%00byte", "a" * 65, "%F0%9F%98%80"):
        response = client.get(path.format(token=token))
        assert response.status_code == 404, token
    page = client.get(path.format(token="y" * 43)).content.decode()
    assert "This link is not valid" in page
    assert client.post(path.format(token="y" * 43)).status_code in (404, 405)


def test_an_expired_request_is_gone_and_expires_from_the_database(client, settings):
    event = open_event()
    ask(client, event)
    confirm = link_in(mails_for("olena@example.org")[0], "confirm")
    GuestRequest.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.EVENTS_GUEST_REQUEST_HOURS, minutes=1)
    )

    assert client.get(confirm).status_code == 410
    assert client.post(confirm).status_code == 410
    assert not EventRegistration.objects.exists()

    assert personal_data_expire()["events"] == 1
    assert not GuestRequest.objects.exists()
    assert client.get(confirm).status_code == 404


def test_an_event_that_stopped_taking_guests_refuses_the_confirmation(client):
    event = open_event()
    ask(client, event)
    confirm = link_in(mails_for("olena@example.org")[0], "confirm")
    type(event).objects.filter(pk=event.pk).update(open_to_guests=False)

    response = client.post(confirm, follow=True)

    assert "This event takes registrations from members only." in messages_of(response)
    assert not EventRegistration.objects.exists()


def test_the_organisers_list_and_csv_show_guests_beside_members(client):
    organiser = UserFactory()
    event = open_event(organiser=organiser, capacity=1)
    UserFactory()
    member = UserFactory(full_name="Andriy Melnyk")
    services.event_register(event=event, member=member)
    GuestRegistrationFactory(
        event=event, status="waiting", guest_name="Olena Kovalenko", guest_email="olena@example.org"
    )
    GuestRequest.objects.create(
        event=event, name="Not Confirmed", email="unconfirmed@example.org", language="en"
    )
    client.force_login(organiser)

    page = client.get(reverse("events:registrations", args=[event.pk])).content.decode()

    assert "Andriy Melnyk" in page
    assert "Olena Kovalenko" in page
    assert "olena@example.org" in page
    assert "1 of them registered as a guest, without an account." in page
    assert "Not Confirmed" not in page and "unconfirmed@example.org" not in page

    response = client.get(reverse("events:registrations_csv", args=[event.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Guest without an account"
    assert rows[1][0] == "Andriy Melnyk" and rows[1][-1] == ""
    assert rows[2][:5] == ["Olena Kovalenko", "olena@example.org", "", "On the waiting list", "1"]
    assert rows[2][-1] == "yes"
    assert "unconfirmed@example.org" not in text

    client.force_login(UserFactory())  # another member sees no one's address
    assert client.get(reverse("events:registrations", args=[event.pk])).status_code == 403


def test_guests_data_is_erased_after_the_event_and_their_links_stop(client, settings):
    settings.EVENTS_GUEST_DATA_DAYS = 7
    now = timezone.now()
    long_ago = open_event(starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=8))
    lately = open_event(starts_at=now - timedelta(days=4), ends_at=now - timedelta(days=3))
    old = GuestRegistrationFactory(event=long_ago, accessibility_needs="Captions")
    cancelled = GuestRegistrationFactory(event=long_ago, status="cancelled")
    recent = GuestRegistrationFactory(event=lately)
    member_place = services.event_register(event=open_event(), member=UserFactory())
    token = old.guest_token

    assert personal_data_expire(now=now)["events"] == 2

    for registration in (old, cancelled):
        registration.refresh_from_db()
        assert (registration.guest_name, registration.guest_email) == ("", "")
        assert (registration.guest_token, registration.accessibility_needs) == (None, "")
    old.refresh_from_db()
    assert old.status == CONFIRMED  # the event's figures hold
    recent.refresh_from_db()
    assert recent.guest_name.startswith("Guest")
    member_place.refresh_from_db()
    assert member_place.member is not None
    assert client.get(reverse("events:guest_status", args=[token])).status_code == 404
    assert personal_data_expire(now=now)["events"] == 0  # nothing twice

    client.force_login(long_ago.organiser)
    page = client.get(reverse("events:registrations", args=[long_ago.pk])).content.decode()
    assert "a guest (name erased)" in page


def test_the_command_runs_the_same_job_for_a_setup_without_beat():
    event = open_event(
        starts_at=timezone.now() - timedelta(days=30), ends_at=timezone.now() - timedelta(days=29)
    )
    guest = GuestRegistrationFactory(event=event)
    out = io.StringIO()

    call_command("expire_personal_data", stdout=out)

    assert "events: 1" in out.getvalue()
    guest.refresh_from_db()
    assert guest.guest_email == ""


def test_the_privacy_notice_says_what_guests_leave_and_for_how_long(client, settings):
    settings.EVENTS_GUEST_DATA_DAYS = 5

    page = client.get(reverse("members:privacy")).content.decode()

    assert "Without an account" in page
    assert "erase them 5 days after it ends" in page


def test_the_periodic_job_is_scheduled():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.expire_personal_data" in schedule
    from forum.celery import app  # noqa: PLC0415 -- the tasks registered by then

    assert "core.expire_personal_data" in app.tasks
    assert "events.send_guest_mail" in app.tasks


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "Olena\x00Kovalenko"}, "name"),
        ({"name": "O" * 201}, "name"),
        ({"name": "   "}, "name"),
        ({"email": "olena\x00@example.org"}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": "o" * 250 + "@example.org"}, "email"),
        ({"accessibility_needs": "x" * 2001}, "accessibility_needs"),
        ({"accessibility_needs": "captions\x00"}, "accessibility_needs"),
    ],
)
def test_bad_answers_are_form_errors_by_the_field(client, fields, field):
    event = open_event()
    data = {"name": "Olena Kovalenko", "email": "olena@example.org", **fields}

    response = client.post(reverse("events:guest_register", args=[event.pk]), data)

    assert response.status_code == 400
    assert field in response.context["guest_form"].errors
    assert not GuestRequest.objects.exists()
    assert not mail.outbox


def test_the_email_is_in_the_language_the_guest_used(client, django_capture_on_commit_callbacks):
    event = open_event(title="Відновлення відкрито")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, event, name="Олена Коваленко", email="olena@example.org")

    request = GuestRequest.objects.get()
    assert request.language == "uk"
    [message] = mails_for("olena@example.org")
    local = event.starts_at.astimezone(event.zone)
    with translation.override("uk"):
        expected = gettext("Confirm your registration for %(about)s") % {"about": event.title}
        when = formats.date_format(local, "DATETIME_FORMAT")
    assert message.subject == expected
    assert "Олена Коваленко" in message.body
    # Django's own Ukrainian catalogue names the month: the e-mail was written in Ukrainian.
    assert when in message.body
    with translation.override("en"):
        assert when != formats.date_format(local, "DATETIME_FORMAT")  # not the English date

    client.post(link_in(message, "confirm"))
    registration = EventRegistration.objects.get()
    assert registration.guest_language == "uk"
    placed = mails_for("olena@example.org")[-1]
    with translation.override("uk"):
        assert placed.subject == gettext("Your place at %(about)s is confirmed") % {
            "about": event.title
        }


def test_a_member_logged_in_keeps_the_member_form(client):
    event = open_event()
    member = UserFactory()
    client.force_login(member)

    page = client.get(event.get_absolute_url()).content.decode()
    refused = ask(client, event)

    assert f'action="/events/{event.pk}/register/"' in page
    assert "Register without an account" not in page
    assert refused.status_code == 409
    assert not GuestRequest.objects.exists()


def test_visitors_see_the_guest_form_only_where_guests_are_welcome(client):
    welcome = open_event()
    members_only = EventFactory(registration_required=True)

    assert "Register without an account" in client.get(welcome.get_absolute_url()).content.decode()
    page = client.get(members_only.get_absolute_url()).content.decode()
    assert "Register without an account" not in page
    assert "Log in to register." in page
    assert ask(client, members_only).status_code == 409
    started = open_event(starts_at=timezone.now() - timedelta(minutes=5))
    assert ask(client, started).status_code == 409
    assert not GuestRequest.objects.exists()


def test_one_connection_cannot_send_e_mails_without_end(client, settings):
    settings.EVENTS_GUEST_REQUESTS_PER_HOUR = 2
    event = open_event()

    answers = [ask(client, event, email=f"person{n}@example.org").status_code for n in range(3)]

    assert answers == [302, 302, 429]
    assert GuestRequest.objects.count() == 2


def test_guests_only_where_registration_is_on():
    event = open_event()

    with pytest.raises(Exception) as refused:
        services.event_edit(
            event=event,
            fields={"registration_required": False, "open_to_guests": True},
            by=event.organiser,
        )

    assert "open_to_guests" in refused.value.message_dict


def test_a_members_download_holds_places_taken_as_a_guest_with_their_address(client):
    member = UserFactory(email="olena@example.org")
    GuestRegistrationFactory(guest_email="olena@example.org", guest_name="Olena K.")
    GuestRegistrationFactory(guest_email="someone.else@example.org")
    client.force_login(member)

    data = json.loads(client.get(reverse("members:my_data")).content)

    [place] = data["event_guest_registrations"]
    assert place["guest_name"] == "Olena K."
