"""What the public forms and filters do with input no person types: dates at the edges of
the calendar, a time that its zone pushes past the year 9999, overlong links, NUL bytes and
control characters. Always a form error with what was typed kept (or a 400 in the API),
never a server error and never a row that a page cannot read later."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplans.models import Document
from cocreation.models import Workshop
from events.models import Event
from tests.cocreation.test_manage import form_data as workshop_data
from tests.events.test_views import form_data as event_data
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    UserFactory,
    default_forum,
    role_give,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

YEARS = "Enter a date between the years 1900 and 9000."


@pytest.mark.parametrize("page", ["/events/", "/events/map/", "/events/calendar.ics"])
@pytest.mark.parametrize(
    "query", ["end=9999-12-31", "start=9999-12-31", "start=0001-01-01&end=0001-01-01"]
)
def test_the_calendars_filters_refuse_a_day_at_the_edge_of_the_calendar(client, page, query):
    EventFactory()
    response = client.get(f"{page}?{query}")
    assert response.status_code == 200
    if page == "/events/":
        assert YEARS in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/action-plans/?active_on=9999-12-31",
        "/api/v1/commitments/?ends_before=9999-12-31",
        "/api/v1/milestones/?due_after=0001-01-01",
        "/api/v1/events/?starts_after=9999-12-31T23:59:59-11:00",
    ],
)
def test_the_apis_date_filters_answer_400_at_the_edge_of_the_calendar(client, address):
    ActionPlanFactory()
    response = client.get(address)
    assert response.status_code == 400
    assert "between the years" in response.content.decode()


def test_an_event_at_the_end_of_the_calendar_in_pago_pago_is_refused_beside_the_field(client):
    """9999-12-31 23:00 in Pacific/Pago_Pago (UTC-11) is in the year 10000 in UTC: stored,
    it broke the review queue, the event's page and "My events" for good."""
    client.force_login(UserFactory())
    data = event_data(
        starts_at="9999-12-31T22:00", ends_at="9999-12-31T23:00", time_zone="Pacific/Pago_Pago"
    )

    response = client.post("/events/submit/", data)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["starts_at"] == [YEARS] and form.errors["ends_at"] == [YEARS]
    assert 'value="9999-12-31T23:00"' in response.content.decode()  # what was typed, kept
    assert not Event.objects.exists()


def test_a_workshop_in_the_year_1_is_refused_beside_the_field(client):
    forum = default_forum()
    secretariat = UserFactory()
    role_give(secretariat, "secretariat", forum)
    client.force_login(secretariat)
    process = CoCreationProcessFactory(forum=forum)
    data = workshop_data(
        process, starts_at="0001-01-01T00:30", ends_at="0001-01-01T01:00", time_zone="Asia/Tokyo"
    )

    response = client.post(f"/manage/{forum.slug}/workshops/new/", data)

    assert response.status_code in (200, 400)
    assert response.context["form"].errors["starts_at"] == [YEARS]
    assert not Workshop.objects.exists()


def test_an_overlong_link_in_the_repository_is_a_form_error(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory()
    client.force_login(UserFactory(roles=["secretariat"]))
    link = "https://example.org/" + "a" * 300

    response = client.post(
        f"/action-plans/{plan.slug}/repository/",
        {"kind": "minutes", "title": "Minutes of May", "dated": "2027-05-03", "url": link},
    )

    assert response.status_code in (200, 400)
    assert "url" in response.context["form"].errors
    assert link in response.content.decode()
    assert not Document.objects.exists()


def test_an_overlong_online_link_of_a_workshop_is_a_form_error(client):
    forum = default_forum()
    secretariat = UserFactory()
    role_give(secretariat, "secretariat", forum)
    client.force_login(secretariat)
    data = workshop_data(
        CoCreationProcessFactory(forum=forum), online_link="https://meet.example.org/" + "a" * 300
    )

    response = client.post(f"/manage/{forum.slug}/workshops/new/", data)

    assert "online_link" in response.context["form"].errors
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("field", ["title", "city", "description", "partners"])
def test_a_nul_byte_in_an_event_is_a_form_error_with_the_input_kept(client, field):
    client.force_login(UserFactory())
    data = event_data(**{field: "Open\x00data"})

    response = client.post("/events/submit/", data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("title", "name"), [("Minutes\x00", "minutes.pdf"), ("Minutes", "min\x01utes\x00.pdf")]
)
def test_a_document_with_a_nul_byte_is_refused_or_stored_cleanly_never_a_500(
    client, settings, tmp_path, title, name
):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory()
    client.force_login(UserFactory(roles=["secretariat"]))
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%fake\n")

    response = client.post(
        f"/action-plans/{plan.slug}/repository/",
        {"kind": "minutes", "title": title, "dated": "2027-05-03", "file": upload},
    )

    assert response.status_code < 500
    for document in Document.objects.all():
        assert "\x00" not in document.title + document.file.name
        download = client.get(document.get_absolute_url())
        download.close()
        assert download.status_code == 200
