"""Events stored beyond the calendar Python reads (9999-12-31 23:00 in Pacific/Pago_Pago was
stored, in UTC, in the year 10000; PostgreSQL holds it, Python cannot read it back, so the
review queue, the event's page and "My events" answered 500 for good). Such an event is
moved, keeping its length, to end on 9000-12-31 (the last year the forms now accept);
one before the year 1 to start on 1900-01-01. Its organiser and the secretariat see it
again and can correct or reject it. SQLite cannot hold such a time: nothing to do there."""

from django.db import migrations

SQL = """
UPDATE {table} SET {start} = {start} - ({end} - TIMESTAMPTZ '9000-12-31 12:00+00'),
                   {end} = TIMESTAMPTZ '9000-12-31 12:00+00'
 WHERE {end} >= TIMESTAMPTZ '9999-12-30 00:00+00';
UPDATE {table} SET {end} = {end} + (TIMESTAMPTZ '1900-01-01 12:00+00' - {start}),
                   {start} = TIMESTAMPTZ '1900-01-01 12:00+00'
 WHERE {start} < TIMESTAMPTZ '0001-01-02 00:00+00';
"""


def times_within_the_calendar(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("events", "Event")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SQL.format(table=table, start="starts_at", end="ends_at"))


class Migration(migrations.Migration):
    dependencies = [("events", "0005_forum_required")]

    operations = [migrations.RunPython(times_within_the_calendar, migrations.RunPython.noop)]
