"""The pages: submit and edit forms, the queue, registration, the organiser's page and its
CSV, the map."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventRegistration
from events.services import event_edit
from tests.factories import ForumFactory, OrganisationFactory, UserFactory, default_forum
from tests.factories.events import CampaignFactory, EventFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    day = timezone.localdate() + timedelta(days=30)
    data = {
        "campaign": CampaignFactory(slug="open-gov-week-2026").pk,
        "title": "Open budgets in Lisbon",
        "description": "A seminar on the city's budget data.",
        "format": "seminar",
        "attendance": "hybrid",
        "address": "Praça do Município",
        "city": "Lisbon",
        "country": "PT",
        "latitude": "38.70780",
        "longitude": "-9.13960",
        "online_link": "https://meet.example.org/lisbon",
        "starts_at": f"{day.isoformat()}T18:00",
        "ends_at": f"{day.isoformat()}T20:00",
        "time_zone": "Europe/Lisbon",
        "language": "pt",
        "organisation": OrganisationFactory(name="Transparência Cidadã").pk,
        "partners": "Porto City Council\nCoimbra Centre for Democracy Studies",
        "link": "https://example.org/lisbon",
        "accessible_venue": "on",
        "gender_balanced": "on",
        "registration_required": "on",
        "capacity": "30",
    }
    data.update(overrides)
    return data


def test_a_member_submits_an_event_with_times_in_its_own_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Athens"  # the forum's zone differs from the event's
    member = UserFactory()
    client.force_login(member)
    data = form_data()

    response = client.post(reverse("events:submit"), data)

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.status == Event.Status.SUBMITTED and event.organiser == member
    day = datetime.fromisoformat(data["starts_at"])
    assert event.starts_at == day.replace(tzinfo=ZoneInfo("Europe/Lisbon"))
    assert event.partner_list() == ["Porto City Council", "Coimbra Centre for Democracy Studies"]
    assert (event.accessible_venue, event.vulnerable_groups) == (True, False)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "waits for the secretariat's review" in page


def test_a_time_the_clocks_skip_is_refused_beside_the_field(client):
    client.force_login(UserFactory())

    # 28 March 2027: Lisbon's clocks go from 01:00 straight to 02:00.
    response = client.post(
        reverse("events:submit"),
        form_data(starts_at="2027-03-28T01:30", ends_at="2027-03-28T04:00"),
    )

    assert response.status_code == 400
    assert "does not exist in Europe/Lisbon" in response.context["form"].errors["starts_at"][0]
    assert not Event.objects.exists()


def test_without_a_campaign_the_member_chooses_the_forum(client):
    city = ForumFactory(name="Pančevo local forum")
    client.force_login(UserFactory())
    form = client.get(reverse("events:submit")).context["form"]
    assert form["forum"].value() == default_forum().pk
    assert set(form.fields["forum"].queryset) == {default_forum(), city}

    response = client.post(reverse("events:submit"), form_data(campaign="", forum=city.pk))

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.forum == city and event.campaign is None


def test_an_event_of_a_campaign_belongs_to_the_campaigns_forum(client):
    city = ForumFactory(name="Pančevo local forum")
    campaign = CampaignFactory(forum=city, slug="pancevo-open-week", accepts_submissions=True)
    client.force_login(UserFactory())
    page = client.get(reverse("events:submit")).content.decode()
    assert f"{campaign.name} (Pančevo local forum)" in page

    client.post(reverse("events:submit"), form_data(campaign=campaign.pk, forum=default_forum().pk))

    assert Event.objects.get().forum == city


def test_an_event_sent_without_a_forum_goes_to_the_default_forum(client):
    ForumFactory()
    client.force_login(UserFactory())

    client.post(reverse("events:submit"), form_data(campaign=""))

    assert Event.objects.get().forum == default_forum()


def test_an_edited_event_stays_in_its_forum(client):
    city = ForumFactory()
    event = EventFactory(campaign=None, forum=city)
    CampaignFactory(slug="national-week", accepts_submissions=True)  # the default forum's
    city_campaign = CampaignFactory(forum=city, slug="city-week", accepts_submissions=True)
    client.force_login(event.organiser)

    form = client.get(reverse("events:edit", args=[event.pk])).context["form"]

    assert "forum" not in form.fields
    assert list(form.fields["campaign"].queryset) == [city_campaign]
    with pytest.raises(ValidationError) as refused:
        event_edit(
            event=event,
            fields={"campaign": CampaignFactory(slug="national-week")},
            by=event.organiser,
        )
    assert "campaign" in refused.value.error_dict
    event.refresh_from_db()
    assert event.forum == city and event.campaign is None


def test_the_form_proposes_the_members_organisation(client):
    member = UserFactory()
    client.force_login(member)

    form = client.get(reverse("events:submit")).context["form"]

    assert form["organisation"].value() == member.organisation_id


def test_bad_input_redisplays_the_form_with_what_was_typed(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("events:submit"),
        form_data(city="", ends_at=form_data()["starts_at"], latitude="123"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the answers below." in page
    assert "Say in which city the event takes place." in page
    assert "Open budgets in Lisbon" in page  # what was typed is still there
    assert not Event.objects.exists()


def test_a_pending_member_is_sent_back_with_the_reason(client):
    client.force_login(UserFactory(membership_status="pending"))

    response = client.get(reverse("events:submit"), follow=True)

    assert "waiting for the secretariat" in response.content.decode()


def test_editing_shows_the_times_in_the_events_zone_and_resubmits_a_rejected_event(client):
    organiser = UserFactory()
    starts_at = datetime(2027, 5, 12, 18, 0, tzinfo=ZoneInfo("Europe/Lisbon"))
    event = EventFactory(
        organiser=organiser,
        status="rejected",
        rejection_reason="Add the address.",
        city="Lisbon",
        country="PT",
        time_zone="Europe/Lisbon",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    client.force_login(organiser)

    page = client.get(reverse("events:edit", args=[event.pk]))
    assert page.context["form"]["starts_at"].value() == datetime(2027, 5, 12, 18, 0)
    assert "Add the address." in page.content.decode()

    response = client.post(
        reverse("events:edit", args=[event.pk]),
        form_data(
            title=event.title,
            starts_at="2027-05-12T18:00",
            ends_at="2027-05-12T20:00",
            address="Praça do Município 1",
        ),
        follow=True,
    )

    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED
    assert event.starts_at == starts_at
    assert "submitted again" in response.content.decode()


def test_the_secretariat_approves_from_the_queue(client, secretariat):
    event = EventFactory(status="submitted", title="Open budgets in Lisbon")
    client.force_login(secretariat)

    queue = client.get(reverse("events:queue")).content.decode()
    assert "Open budgets in Lisbon" in queue
    response = client.post(
        reverse("events:decide", args=[event.pk]),
        {"decision": "approve", "next": reverse("events:queue")},
    )

    assert response["Location"] == reverse("events:queue")
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED
    queue = client.get(reverse("events:queue"))
    assert "“Open budgets in Lisbon” is published; the organiser is told." in queue.content.decode()
    assert list(queue.context["page"]) == []


def test_rejecting_without_a_reason_says_so_and_changes_nothing(client, secretariat):
    event = EventFactory(status="submitted")
    client.force_login(secretariat)

    response = client.post(
        reverse("events:decide", args=[event.pk]),
        {"decision": "reject", "reason": ""},
        follow=True,
    )

    assert "Say why the event is not approved" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED

    client.post(
        reverse("events:decide", args=[event.pk]),
        {"decision": "reject", "reason": "A commercial promotion."},
    )
    event.refresh_from_db()
    assert (event.status, event.rejection_reason) == ("rejected", "A commercial promotion.")


def test_registering_and_cancelling_from_the_event_page(client):
    event = EventFactory(registration_required=True, capacity=1)
    EventRegistrationFactory(event=event)
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"accessibility_needs": "Step-free access"},
        follow=True,
    )

    page = response.content.decode()
    assert "you are number 1 on the waiting list" in page
    registration = EventRegistration.objects.get(member=member)
    assert registration.accessibility_needs == "Step-free access"
    client.post(reverse("events:registration_cancel", args=[event.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registering_twice_answers_with_the_reason(client):
    event = EventFactory(registration_required=True)
    member = UserFactory()
    EventRegistrationFactory(event=event, member=member)
    client.force_login(member)

    response = client.post(reverse("events:register", args=[event.pk]), {})

    assert response.status_code == 409
    assert "You are already registered" in response.content.decode()


def test_the_online_link_is_for_people_with_a_place(client):
    event = EventFactory(
        registration_required=True, attendance="hybrid", online_link="https://meet.example.org/x"
    )
    member = UserFactory()
    client.force_login(member)
    assert "meet.example.org/x" not in client.get(event.get_absolute_url()).content.decode()

    EventRegistrationFactory(event=event, member=member)
    assert "meet.example.org/x" in client.get(event.get_absolute_url()).content.decode()


def test_the_organisers_page_shows_every_status_with_counts(client):
    organiser = UserFactory()
    EventFactory(organiser=organiser, title="Published one", registration_required=True, capacity=1)
    EventFactory(
        organiser=organiser,
        title="Turned down",
        status="rejected",
        rejection_reason="Not about open government.",
    )
    EventFactory(organiser=organiser, title="Waiting", status="submitted")
    EventFactory(title="Someone else's")
    published = Event.objects.get(title="Published one")
    EventRegistrationFactory(event=published)
    EventRegistrationFactory(event=published, status="waiting")
    client.force_login(organiser)

    page = client.get(reverse("events:mine")).content.decode()

    for text in (
        "Published one",
        "Turned down",
        "Not about open government.",
        "Waiting",
        "Registrations: 1 confirmed, 1 waiting",
        "Edit and resubmit",
    ):
        assert text in page
    assert "Someone else" not in page


def test_registrations_download_as_csv_without_formulas(client):
    organiser = UserFactory()
    event = EventFactory(organiser=organiser, registration_required=True, capacity=1)
    EventRegistrationFactory(
        event=event,
        member=UserFactory(full_name='=HYPERLINK("http://evil.example")', email="a@example.org"),
        accessibility_needs="+sign language",
    )
    EventRegistrationFactory(
        event=event, status="waiting", member=UserFactory(full_name="Olena Kovalenko")
    )
    client.force_login(organiser)

    response = client.get(reverse("events:registrations_csv", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "E-mail", "Organisation", "Status"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][6] == "'+sign language"
    assert rows[2][0] == "Olena Kovalenko"
    assert (rows[2][3], rows[2][4]) == ("On the waiting list", "1")


def test_the_map_page_has_markers_data_and_a_list_of_the_same_events(client, settings):
    settings.EVENTS_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    EventFactory(title="Athens debate")
    EventFactory(
        title="Webinar", attendance="online", city="", country="", latitude=None, longitude=None
    )

    response = client.get(reverse("events:map"))

    data = response.context["map_data"]
    assert data["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert [point["title"] for point in data["events"]] == ["Athens debate"]
    page = response.content.decode()
    assert 'id="events-map-data" type="application/json"' in page
    assert json.loads(json.dumps(data))["events"][0]["lat"] == pytest.approx(37.9755)
    assert "Webinar" in page and "not on the map" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_an_event_not_yet_published_is_hidden_from_others(client):
    organiser = UserFactory()
    event = EventFactory(organiser=organiser, status="submitted")

    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    assert client.get(event.get_absolute_url()).status_code == 200
