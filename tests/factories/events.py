"""Factories of the events app (a module of its own, so the apps' factories merge apart)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import UserFactory, default_forum


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Campaign"
        django_get_or_create = ["slug"]

    forum = factory.LazyFunction(default_forum)
    name = factory.Sequence(lambda n: f"Open Gov Week {2026 + n}")
    slug = factory.Sequence(lambda n: f"open-gov-week-{2026 + n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A published, in-person event in Athens a week from now."""

    class Meta:
        model = "events.Event"

    campaign = factory.SubFactory(CampaignFactory)
    forum = factory.LazyAttribute(lambda o: o.campaign.forum if o.campaign else default_forum())
    organiser = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("organiser.organisation")
    title = factory.Sequence(lambda n: f"Event {n}")
    description = "Officials and civil society discuss open budgets."
    format = "seminar"
    attendance = "in_person"
    address = "Syntagma Square 1"
    city = "Athens"
    country = "GR"
    latitude = Decimal("37.97550")
    longitude = Decimal("23.73480")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    time_zone = "Europe/Athens"
    language = "el"
    status = "approved"


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed place (bypasses the allocation)."""

    class Meta:
        model = "events.EventRegistration"

    event = factory.SubFactory(EventFactory, registration_required=True)
    member = factory.SubFactory(UserFactory)
    status = "confirmed"


class GuestRegistrationFactory(factory.django.DjangoModelFactory):
    """A guest's confirmed place: someone without an account (bypasses the allocation)."""

    class Meta:
        model = "events.EventRegistration"

    event = factory.SubFactory(EventFactory, registration_required=True, open_to_guests=True)
    member = None
    guest_name = factory.Sequence(lambda n: f"Guest {n}")
    guest_email = factory.Sequence(lambda n: f"guest{n}@example.org")
    guest_language = "en"
    guest_token = factory.Sequence(lambda n: f"guest-token-{n:06d}-abcdefghijklmnopqrstuvwxyz")
    verified_at = factory.LazyFunction(timezone.now)
    status = "confirmed"
