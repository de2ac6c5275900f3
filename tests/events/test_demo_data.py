from io import StringIO

import pytest
from django.core.management import call_command

from events.models import Campaign, Event, EventRegistration

pytestmark = pytest.mark.django_db


def run_demo_data(*args):
    call_command("demo_data", *args, stdout=StringIO())


def test_demo_data_holds_an_open_gov_week_of_about_forty_events():
    run_demo_data()

    campaign = Campaign.objects.get(slug="demo-open-gov-week")
    assert campaign.name.startswith("Open Gov Week ")
    events = Event.objects.filter(campaign=campaign)
    assert 35 <= events.count() <= 45
    published = events.filter(status="approved")
    assert published.values("country").distinct().count() >= 8
    assert events.filter(status="submitted").count() >= 2
    assert events.filter(status="rejected").exclude(rejection_reason="").count() == 1
    assert published.filter(latitude__isnull=False).count() >= 25
    assert published.filter(attendance="online").exists()
    waiting = EventRegistration.objects.filter(event__campaign=campaign, status="waiting")
    assert waiting.exists()
    full = waiting.first().event
    assert full.registrations.filter(status="confirmed").count() == full.capacity
    # Residents register without an account: public events open to guests, one with a guest.
    open_to_guests = published.filter(open_to_guests=True, registration_required=True)
    assert open_to_guests.count() >= 2
    assert open_to_guests.filter(language="uk").exists()
    [guest] = EventRegistration.objects.filter(event__campaign=campaign, member__isnull=True)
    assert (guest.status, guest.guest_language) == ("confirmed", "uk")


def test_demo_events_are_idempotent_and_rebuilt_by_reset():
    run_demo_data()
    counts = (Event.objects.count(), EventRegistration.objects.count())

    run_demo_data()
    assert (Event.objects.count(), EventRegistration.objects.count()) == counts

    Event.objects.filter(status="approved").update(title="Changed by hand")
    run_demo_data("--reset")
    assert (Event.objects.count(), EventRegistration.objects.count()) == counts
    assert not Event.objects.filter(title="Changed by hand").exists()
