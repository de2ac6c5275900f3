"""An event or a workshop already stored beyond the calendar Python reads (before the forms
refused it, 9999-12-31 23:00 in Pacific/Pago_Pago was stored in the year 10000 in UTC): the
migrations move it back within the calendar, and the pages that answered 500 for good read
it again. PostgreSQL only: SQLite never held such a time."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from cocreation.models import Workshop
from events.models import Event
from tests.factories import UserFactory, WorkshopFactory
from tests.factories.events import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

YEAR_10000 = (
    "UPDATE {table} SET starts_at = TIMESTAMPTZ '10000-01-01 09:00+00', "
    "ends_at = TIMESTAMPTZ '10000-01-01 10:00+00' WHERE id = %s"
)


def _repair(app, migration):
    module = importlib.import_module(f"{app}.migrations.{migration}")
    module.times_within_the_calendar(apps, connection.schema_editor())


def test_an_event_stored_in_the_year_10000_is_readable_again(client):
    organiser = UserFactory()
    event = EventFactory(organiser=organiser, status="submitted", time_zone="Pacific/Pago_Pago")
    with connection.cursor() as cursor:
        cursor.execute(YEAR_10000.format(table=Event._meta.db_table), [event.pk])

    _repair("events", "0006_times_within_the_calendar")

    event = Event.objects.get(pk=event.pk)
    assert (event.starts_at.year, event.ends_at.year) == (9000, 9000)
    client.force_login(organiser)
    assert client.get(f"/events/{event.pk}/").status_code == 200
    assert client.get("/events/mine/").status_code == 200
    client.force_login(UserFactory(roles=["secretariat"]))
    assert client.get("/events/review/").status_code == 200


def test_a_workshop_stored_in_the_year_10000_is_readable_again(client):
    workshop = WorkshopFactory(status="published")
    with connection.cursor() as cursor:
        cursor.execute(YEAR_10000.format(table=Workshop._meta.db_table), [workshop.pk])

    _repair("cocreation", "0012_times_within_the_calendar")

    workshop = Workshop.objects.get(pk=workshop.pk)
    assert workshop.starts_at.year == 9000 and workshop.ends_at.hour == 12
    assert client.get(f"/workshops/{workshop.pk}/").status_code == 200
    assert client.get("/workshops/").status_code == 200
