"""A confirmation e-mail as a mail client reads it: the site's name as sender, a Message-ID
of the site's domain, a link to the preferences, and the calendar entry attached."""

import email
from email import policy

import pytest
import vobject
from django.core import mail

from cocreation.services import workshop_register
from events.services import event_register
from tests.factories import UserFactory, WorkshopFactory, member_of
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def as_received(message) -> email.message.EmailMessage:
    """The e-mail as the receiving mail client parses it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def calendar_attachment(received) -> vobject.base.Component:
    [part] = [p for p in received.iter_attachments() if p.get_content_type() == "text/calendar"]
    return vobject.readOne(part.get_content())


def test_a_seat_confirmation_comes_from_the_site_with_its_calendar_entry(settings):
    settings.SITE_NAME = "Open Government Forum of Ukraine"
    settings.SITE_URL = "https://forum.example.org"
    workshop = WorkshopFactory(
        title="Open budgets",
        time_zone="Europe/Kyiv",
        online_link="https://meet.example.org/budgets",
    )
    member = member_of("government", preferred_language="uk")

    workshop_register(workshop=workshop, member=member)

    [message] = [m for m in mail.outbox if m.to == [member.email]]
    received = as_received(message)
    assert received["From"].addresses[0].display_name == "Open Government Forum of Ukraine"
    assert received["Message-ID"].rstrip(">").endswith("@forum.example.org")
    entry = calendar_attachment(received).vevent
    assert entry.summary.value == "Open budgets"
    assert entry.dtstart.value == workshop.starts_at.replace(microsecond=0)
    assert workshop.online_link in entry.description.value  # the seat holder's way in
    preferences = "https://forum.example.org/notifications/preferences/"
    assert preferences in received.get_body(("plain",)).get_content()
    assert f'href="{preferences}"' in received.get_body(("html",)).get_content()


def test_an_event_place_comes_with_its_calendar_entry_and_a_waiting_place_without():
    event = EventFactory(registration_required=True, capacity=1, title="Open data night")
    seated, waiting = UserFactory(), UserFactory()

    event_register(event=event, member=seated)
    event_register(event=event, member=waiting)

    [place] = [as_received(m) for m in mail.outbox if m.to == [seated.email]]
    assert calendar_attachment(place).vevent.dtstart.value == event.starts_at.replace(microsecond=0)
    [queued] = [as_received(m) for m in mail.outbox if m.to == [waiting.email]]
    assert not list(queued.iter_attachments())


def test_a_sender_with_its_own_display_name_keeps_it(settings):
    settings.DEFAULT_FROM_EMAIL = "Secretariat <secretariat@forum.example.org>"
    event = EventFactory(registration_required=True)

    event_register(event=event, member=UserFactory())

    [message] = mail.outbox
    assert as_received(message)["From"].addresses[0].display_name == "Secretariat"
