"""Events in a forum's back office, /manage/<forum>/events/: its campaigns, the review
queue of its submitted events, and an organiser's events."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit.models import AuditEntry
from core.errors import NotAllowed
from events import services
from events.models import Campaign, Event
from tests.factories import ForumFactory, UserFactory, role_give
from tests.factories.events import CampaignFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo", country="RS")


@pytest.fixture
def city_secretariat(city):
    member = UserFactory(full_name="Jelena Marković")
    role_give(member, "secretariat", city)
    return member


@pytest.fixture
def campaign(city):
    return CampaignFactory(forum=city, name="Open Gov Week Pančevo", slug="ogw-pancevo")


@pytest.fixture
def submitted(city, campaign):
    organiser = UserFactory(full_name="Sofia Alexiou", email="sofia@ngo.example")
    return EventFactory(
        campaign=campaign, organiser=organiser, status="submitted", title="Open budget walk"
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _pages(city, campaign):
    return [
        reverse("manage:events", args=[city.slug]),
        reverse("manage:campaign_create", args=[city.slug]),
        reverse("manage:campaign_edit", args=[city.slug, campaign.pk]),
        reverse("manage:events_review", args=[city.slug]),
        reverse("manage:events_by_organiser", args=[city.slug]),
    ]


@pytest.mark.parametrize("index", range(5))
def test_the_forums_secretariat_opens_every_events_page(
    client, city, city_secretariat, campaign, index
):
    client.force_login(city_secretariat)
    assert client.get(_pages(city, campaign)[index]).status_code == 200


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("who", ["member", "other forum's secretariat"])
def test_others_are_refused_every_events_page(client, city, campaign, index, who):
    user = UserFactory() if who == "member" else UserFactory(roles=["secretariat"])
    client.force_login(user)
    assert client.get(_pages(city, campaign)[index]).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, city, campaign):
    for page in _pages(city, campaign):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_secretariat_creates_open_gov_week_2027(client, city, city_secretariat):
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:campaign_create", args=[city.slug]),
        {
            "name": "Open Gov Week 2027",
            "description": "",
            "starts_on": "2027-05-17",
            "ends_on": "2027-05-23",
            "accepts_submissions": "on",
        },
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get(name="Open Gov Week 2027")
    assert (campaign.forum, campaign.starts_on, campaign.ends_on, campaign.accepts_submissions) == (
        city,
        date(2027, 5, 17),
        date(2027, 5, 23),
        True,
    )
    assert campaign.slug == "open-gov-week-2027"
    assert AuditEntry.objects.filter(action="campaign.created").count() == 1
    assert any("is created" in m for m in _messages(response))
    listed = client.get(reverse("manage:events", args=[city.slug])).content.decode()
    assert "Open Gov Week 2027" in listed


def test_a_campaign_ending_before_it_starts_is_refused_beside_the_field(
    client, city, city_secretariat
):
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:campaign_create", args=[city.slug]),
        {"name": "Backwards week", "starts_on": "2027-05-23", "ends_on": "2027-05-17"},
    )

    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert 'value="Backwards week"' in response.content.decode()
    assert not Campaign.objects.filter(name="Backwards week").exists()


def test_the_secretariat_edits_a_campaign_and_closes_its_submissions(
    client, city, city_secretariat, campaign
):
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:campaign_edit", args=[city.slug, campaign.pk]),
        {"name": "Open Gov Week Pančevo 2027", "starts_on": "2027-05-17", "ends_on": "2027-05-23"},
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Open Gov Week Pančevo 2027"
    assert campaign.accepts_submissions is False
    assert campaign.slug == "ogw-pancevo"
    assert AuditEntry.objects.get(action="campaign.edited").data["fields"]


def test_another_forums_campaign_is_not_found_and_cannot_be_edited(client, city, city_secretariat):
    other = CampaignFactory(name="National week", slug="national-week")
    client.force_login(city_secretariat)
    assert (
        client.get(reverse("manage:campaign_edit", args=[city.slug, other.pk])).status_code == 404
    )
    with pytest.raises(NotAllowed):
        services.campaign_edit(campaign=other, fields={"name": "Mine"}, by=city_secretariat)
    with pytest.raises(NotAllowed):
        services.campaign_create(forum=city, fields={"name": "X"}, by=UserFactory())


def test_the_campaign_list_searches_and_needs_the_same_queries_for_one_or_many(
    client, city, city_secretariat
):
    client.force_login(city_secretariat)
    url = reverse("manage:events", args=[city.slug])
    CampaignFactory(forum=city, name="Week one", slug="week-one")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        campaign = CampaignFactory(forum=city, name=f"Week {n}", slug=f"week-{n}")
        EventFactory(campaign=campaign)
    with CaptureQueriesContext(connection) as five:
        client.get(url)

    found = client.get(url, {"q": "one"}).content.decode()

    assert len(five) == len(one)
    assert "Week one" in found and "Week 2" not in found


def test_the_queue_shows_the_forums_submitted_events_only(
    client, city, city_secretariat, submitted
):
    EventFactory(status="submitted", title="Someone else's seminar")  # the default forum's
    EventFactory(campaign=submitted.campaign, title="Already published")
    client.force_login(city_secretariat)

    page = client.get(reverse("manage:events_review", args=[city.slug])).content.decode()

    assert "Open budget walk" in page
    assert "Someone else's seminar" not in page
    assert "Already published" not in page
    assert "EEST" in page or "EET" in page  # the event's own zone, Europe/Athens


def test_the_queue_needs_the_same_queries_for_one_event_or_many(
    client, city, city_secretariat, submitted
):
    client.force_login(city_secretariat)
    url = reverse("manage:events_review", args=[city.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        EventFactory(campaign=submitted.campaign, status="submitted")
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_the_secretariat_approves_a_submitted_event(client, city, city_secretariat, submitted):
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:event_decide", args=[city.slug, submitted.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.APPROVED
    assert submitted.reviewed_by == city_secretariat
    assert any("is published" in m for m in _messages(response))


def test_the_secretariat_rejects_an_event_with_a_reason(client, city, city_secretariat, submitted):
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:event_decide", args=[city.slug, submitted.pk]),
        {"decision": "reject", "reason": "Please add the venue's accessibility."},
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.REJECTED
    assert submitted.rejection_reason == "Please add the venue's accessibility."


def test_a_rejection_without_a_reason_is_refused_beside_the_field(
    client, city, city_secretariat, submitted
):
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:event_decide", args=[city.slug, submitted.pk]),
        {"decision": "reject", "reason": "  "},
    )

    assert response.status_code == 400
    assert "Say why the event is not approved" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.SUBMITTED


def test_deciding_is_refused_to_others_and_for_another_forums_event(
    client, city, city_secretariat, submitted
):
    other = EventFactory(status="submitted")  # the default forum's
    client.force_login(city_secretariat)
    url = reverse("manage:event_decide", args=[city.slug, other.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert (
        client.get(reverse("manage:event_decide", args=[city.slug, submitted.pk])).status_code
        == 405
    )

    client.force_login(UserFactory(roles=["secretariat"]))
    url = reverse("manage:event_decide", args=[city.slug, submitted.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    submitted.refresh_from_db()
    other.refresh_from_db()
    assert submitted.status == other.status == Event.Status.SUBMITTED


def test_an_organisers_events_are_found_by_name_or_email(client, city, city_secretariat, submitted):
    EventFactory(
        campaign=submitted.campaign,
        organiser=submitted.organiser,
        title="Published hackathon",
    )
    EventFactory(organiser=submitted.organiser, title="In the national forum")
    EventFactory(campaign=submitted.campaign, title="Someone else's debate")
    client.force_login(city_secretariat)
    url = reverse("manage:events_by_organiser", args=[city.slug])

    by_name = client.get(url, {"q": "alexiou"}).content.decode()
    by_email = client.get(url, {"q": "sofia@ngo"}).content.decode()
    nobody = client.get(url, {"q": "nobody-here"}).content.decode()

    for page in (by_name, by_email):
        assert "Open budget walk" in page and "Published hackathon" in page
        assert "In the national forum" not in page
        assert "Someone else's debate" not in page
    assert "Open budget walk" not in nobody


def test_a_decision_that_is_neither_approve_nor_reject_is_refused(
    client, city, city_secretariat, submitted
):
    client.force_login(city_secretariat)
    response = client.post(
        reverse("manage:event_decide", args=[city.slug, submitted.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.SUBMITTED
