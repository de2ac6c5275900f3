"""The workshop list, the events calendar and a plan's dashboard keep each card's or row's
HTML in the cache under a fingerprint of everything loaded with it
(core.fingerprints.kept_fragments): after each kind of change the pages are the same as
ones rendered without any cache, in English and in Greek."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from actionplans.models import Commitment, Milestone
from cocreation.models import Workshop
from events.models import Event
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.events import EventFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PAGES = ["/workshops/", "/workshops/?when=past", "/events/"]


@pytest.fixture
def listed():
    workshop = WorkshopFactory(title="Open budgets")
    event = EventFactory(title="Open Gov Week opening", registration_required=True, capacity=5)
    commitment = CommitmentFactory(status="included", title="Open contracting")
    today = timezone.localdate()
    late = MilestoneFactory(
        commitment=commitment, activity="Publish the tenders", end_date=today - timedelta(days=9)
    )
    MilestoneFactory(commitment=commitment, activity="Train", end_date=today + timedelta(days=9))
    return {
        "workshop": workshop,
        "event": event,
        "commitment": commitment,
        "late": late,
        "pages": [*PAGES, f"/action-plans/{commitment.plan.slug}/dashboard/"],
    }


def _pages(client, pages) -> dict:
    """Each page, its forms' CSRF tokens (masked afresh on every page) left out."""
    return {page: TOKEN.sub("", client.get(page).content.decode()) for page in pages}


def _over(d):
    now = timezone.now()
    Workshop.objects.filter(pk=d["workshop"].pk).update(
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )


CHANGES = {
    "a workshop renamed": lambda d: Workshop.objects.filter(pk=d["workshop"].pk).update(
        title="Open budgets, part two"
    ),
    "a seat taken": lambda d: RegistrationFactory(workshop=d["workshop"]),
    "a workshop over": _over,
    "a workshop cancelled": lambda d: Workshop.objects.filter(pk=d["workshop"].pk).update(
        status="cancelled"
    ),
    "an event's place taken": lambda d: EventRegistrationFactory(event=d["event"]),
    "an event moved": lambda d: Event.objects.filter(pk=d["event"].pk).update(city="Patras"),
    "a milestone completed": lambda d: Milestone.objects.filter(pk=d["late"].pk).update(
        completion="complete"
    ),
    "a milestone reworded": lambda d: Milestone.objects.filter(pk=d["late"].pk).update(
        activity="Publish every tender"
    ),
    "a commitment renamed": lambda d: Commitment.objects.filter(pk=d["commitment"].pk).update(
        title="Open contracting, phase two"
    ),
}


@pytest.mark.parametrize("language", ["en", "el"])
@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_after_each_change_the_lists_are_what_a_fresh_rendering_shows(listed, change, language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(UserFactory())
    before = _pages(client, listed["pages"])  # every card kept
    CHANGES[change](listed)
    kept = _pages(client, listed["pages"])
    cache.clear()
    assert kept == _pages(client, listed["pages"])
    assert kept != before  # the change shows
