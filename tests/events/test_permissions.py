"""Every page and action of the events app against every kind of visitor, the secretariat of
another forum among them: an event is reviewed by its own forum's secretariat."""

import pytest
from django.urls import reverse

from events.models import Event, EventRegistration
from events.services import EventError, event_approve, event_reject
from members.models import MembershipStatus
from tests.factories import ForumFactory, UserFactory, role_give
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pending", "member", "organiser", "other_secretariat", "secretariat"]
OK, LOGIN, FORBIDDEN, HIDDEN, BACK = 200, "login", 403, 404, "back"


@pytest.fixture
def event():
    return EventFactory(registration_required=True, capacity=10)


def visitor(role, event):
    if role == "anonymous":
        return None
    if role == "pending":
        return UserFactory(membership_status=MembershipStatus.PENDING)
    if role == "organiser":
        return event.organiser
    if role == "other_secretariat":  # the event is the default forum's
        member = UserFactory()
        role_give(member, "secretariat", ForumFactory())
        return member
    return UserFactory(roles=["secretariat"] if role == "secretariat" else [])


PUBLIC = dict.fromkeys(ROLES, OK)
LOGGED_IN = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
MEMBERS = {"anonymous": LOGIN, "pending": BACK, **dict.fromkeys(ROLES[2:], OK)}
ORGANISER = {
    "anonymous": LOGIN,
    "pending": FORBIDDEN,
    "member": FORBIDDEN,
    "organiser": OK,
    "other_secretariat": FORBIDDEN,
    "secretariat": OK,
}
# Another forum's secretariat opens the queue: its own forum's events (tested below).
SECRETARIAT = {
    "anonymous": LOGIN,
    **dict.fromkeys(ROLES[1:4], FORBIDDEN),
    "other_secretariat": OK,
    "secretariat": OK,
}
UNPUBLISHED = {
    **dict.fromkeys(ROLES[:3], HIDDEN),
    "organiser": OK,
    "other_secretariat": HIDDEN,
    "secretariat": OK,
}

PAGES = [
    ("events:index", False, PUBLIC),
    ("events:map", False, PUBLIC),
    ("events:calendar", False, PUBLIC),
    ("events:submit", False, MEMBERS),
    ("events:mine", False, LOGGED_IN),
    ("events:queue", False, SECRETARIAT),
    ("events:detail", True, PUBLIC),
    ("events:event_ics", True, PUBLIC),
    ("events:edit", True, ORGANISER),
    ("events:registrations", True, ORGANISER),
    ("events:registrations_csv", True, ORGANISER),
]


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == BACK:
        assert response.status_code == 302
        assert response["Location"] == reverse("events:index")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "of_event", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, event, role, name, of_event, expected):
    user = visitor(role, event)
    if user:
        client.force_login(user)

    response = client.get(reverse(name, args=[event.pk] if of_event else []))

    check(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_an_event_waiting_for_review_is_seen_by_its_organiser_and_the_secretariat(client, role):
    event = EventFactory(status="submitted")
    user = visitor(role, event)
    if user:
        client.force_login(user)

    check(client.get(event.get_absolute_url()), UNPUBLISHED[role])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_decides(client, event, role):
    event.status = Event.Status.SUBMITTED
    event.save()
    user = visitor(role, event)
    if user:
        client.force_login(user)

    response = client.post(reverse("events:decide", args=[event.pk]), {"decision": "approve"})

    event.refresh_from_db()
    if role == "secretariat":
        assert event.status == Event.Status.APPROVED
    else:
        check(response, LOGIN if role == "anonymous" else FORBIDDEN)
        assert event.status == Event.Status.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_anyone_logged_in_registers_for_a_published_event(client, event, role):
    user = visitor(role, event)
    if user:
        client.force_login(user)

    response = client.post(reverse("events:register", args=[event.pk]))

    if role == "anonymous":
        check(response, LOGIN)
        assert not EventRegistration.objects.exists()
    else:
        assert response.status_code == 302
        assert EventRegistration.objects.get().member == user


def _forums_with_a_submitted_event_each():
    city = ForumFactory(name="Pančevo local forum")
    national_event = EventFactory(status="submitted", title="National open budgets", campaign=None)
    city_event = EventFactory(
        status="submitted", title="Pančevo open budgets", campaign=None, forum=city
    )
    city_secretariat = UserFactory()
    role_give(city_secretariat, "secretariat", city)
    return national_event, city_event, city_secretariat


def test_each_forums_secretariat_sees_its_own_events_in_the_queue_with_the_forum_named(client):
    national_event, city_event, city_secretariat = _forums_with_a_submitted_event_each()
    client.force_login(city_secretariat)

    page = client.get(reverse("events:queue")).content.decode()

    assert "Pančevo open budgets" in page and "Forum: Pančevo local forum" in page
    assert "National open budgets" not in page
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("events:queue")).content.decode()
    assert "Forum: Pančevo local forum" in page and "Forum: " + national_event.forum.name in page


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_another_forums_secretariat_cannot_decide_and_the_service_refuses_too(client, decision):
    national_event, city_event, city_secretariat = _forums_with_a_submitted_event_each()
    client.force_login(city_secretariat)

    response = client.post(
        reverse("events:decide", args=[national_event.pk]),
        {"decision": decision, "reason": "Not ours"},
    )

    assert response.status_code == FORBIDDEN
    with pytest.raises(EventError, match="forum's secretariat"):
        if decision == "approve":
            event_approve(event=national_event, by=city_secretariat)
        else:
            event_reject(event=national_event, reason="Not ours", by=city_secretariat)
    national_event.refresh_from_db()
    assert national_event.status == Event.Status.SUBMITTED
    client.post(reverse("events:decide", args=[city_event.pk]), {"decision": "approve"})
    city_event.refresh_from_db()
    assert city_event.status == Event.Status.APPROVED
