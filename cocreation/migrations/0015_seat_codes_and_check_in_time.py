"""Every seat gets a 6-character seat code (its QR code's token names it), unique in its
workshop; the places made before get theirs here. Check-ins keep their time."""

import secrets

from django.db import migrations, models

import cocreation.seat_pass

# Written out here, as the migration must keep working whatever the module becomes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def backfill_seat_codes(apps, schema_editor):
    Registration = apps.get_model("cocreation", "Registration")
    taken: dict[int, set[str]] = {}
    batch = []
    for registration in Registration.objects.only("pk", "workshop_id").order_by("pk").iterator():
        codes = taken.setdefault(registration.workshop_id, set())
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        while code in codes:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        codes.add(code)
        registration.seat_code = code
        batch.append(registration)
        if len(batch) >= 500:
            Registration.objects.bulk_update(batch, ["seat_code"])
            batch = []
    Registration.objects.bulk_update(batch, ["seat_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("cocreation", "0014_merge_20261205_1334"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="checked_in_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When a facilitator checked them in (empty for check-ins before it was kept).",
                null=True,
                verbose_name="checked in",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="seat_code",
            field=models.CharField(default="", editable=False, max_length=6),
        ),
        migrations.RunPython(backfill_seat_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="registration",
            name="seat_code",
            field=models.CharField(
                default=cocreation.seat_pass.new_seat_code,
                editable=False,
                help_text="Shown under the seat's QR code, typed at check-in without a camera.",
                max_length=6,
                verbose_name="seat code",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("workshop", "seat_code"), name="registration_seat_code_unique"
            ),
        ),
    ]
