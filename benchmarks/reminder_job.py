"""How long the workshop reminder job takes for 10,000 due reminders (50 workshops of 200
confirmed participants, 48 hours before the start), and how many queries it makes.

Runs in a throw-away test database (PostgreSQL when DATABASE_URL is set, else SQLite) with
Django's in-memory mail backend, so what is measured is the portal's own work: creating the
notifications (rendered in each recipient's language, deduplicated) and the sweep that sends
them. Baselines measured in the same run: a bare bulk_create of as many rows, and building
and "sending" as many e-mails without any database work.

    .venv/bin/python benchmarks/reminder_job.py [--reminders 10000]
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from forum.celery import app as celery_app  # noqa: E402

BASE_ROWS = "baseline: bare bulk_create"
BASE_MAIL = "baseline: build and send mail, no database"
JOB = "workshop reminder job: 48 h before"
AGAIN = "reminder job again (nothing new)"
SWEEP = "sweep: send the e-mails"


def measure(label, function):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return {
        "step": label,
        "seconds": round(elapsed, 3),
        "queries": len(queries.captured_queries),
        "result": result,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    args = parser.parse_args()
    count = args.reminders

    setup_test_environment()  # in-memory mail
    celery_app.conf.task_always_eager = False  # the job's own queued sweep is not run inline
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":  # <name>_test: the benchmark's own database
        connection.settings_dict["TEST"]["NAME"] = old_name + "_test"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = run(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"Reminder job, {count:,} due reminders, on {connection.vendor}")
    print(f"{'step':<44} {'seconds':>8} {'queries':>8} {'per second':>11} {'result':>7}")
    for row in rows:
        rate = count / row["seconds"]
        print(
            f"{row['step']:<44} {row['seconds']:>8.3f} {row['queries']:>8} "
            f"{rate:>11,.0f} {row['result']:>7}"
        )
    seconds = {row["step"]: row["seconds"] for row in rows}
    job_ratio = seconds[JOB] / seconds[BASE_ROWS]
    sweep_ratio = seconds[SWEEP] / seconds[BASE_MAIL]
    print(f"job / bare bulk_create of as many rows: {job_ratio:.1f}x")
    print(f"sweep / building and sending as many e-mails with no database: {sweep_ratio:.1f}x")
    out = ROOT / "benchmarks" / "results" / "reminder_job.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"reminders": count, "vendor": connection.vendor, "steps": rows}, indent=2)
    )
    print(f"written to {out.relative_to(ROOT)}")


def run(count):
    from datetime import timedelta

    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from cocreation import notices as cocreation_notices
    from cocreation.models import CoCreationProcess, Registration, Workshop
    from cocreation.services import workshop_reminders_send
    from core.notifications.models import Notification, NotificationRhythm
    from core.notifications.services import notifications_deliver_due
    from events import notices as events_notices
    from members.models import Forum, Organisation, Sector, User

    per_workshop = 200
    sectors = [
        Sector.objects.get(slug="civil-society"),
        Sector.objects.get(slug="national-public-body"),
    ]
    organisations = [
        Organisation.objects.create(name=f"Bench {s.slug}", sector=s, country="GR") for s in sectors
    ]
    languages = ["en", "el", "uk", "sr", "pt", "pl"]
    User.objects.bulk_create(
        [
            User(
                email=f"member{i}@bench.example.org",
                full_name=f"Member {i}",
                organisation=organisations[i % 2],
                preferred_language=languages[i % len(languages)],
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    members = list(
        User.objects.filter(email__endswith="@bench.example.org")
        .select_related("organisation__sector")
        .order_by("id")
    )
    starts_at = timezone.now() + timedelta(days=3)
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(), title="Bench", slug="bench"
    )
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                process=process,
                title=f"Workshop {n}",
                status=Workshop.Status.PUBLISHED,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                capacity=per_workshop,
                government_quota=per_workshop // 2,
                non_government_quota=per_workshop // 2,
            )
            for n in range(-(-count // per_workshop))
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(
                workshop=workshops[i // per_workshop],
                member=member,
                stakeholder_group=member.organisation.sector.stakeholder_group,
                seat_group=member.organisation.sector.stakeholder_group,
                status=Registration.Status.CONFIRMED,
            )
            for i, member in enumerate(members)
        ],
        batch_size=2000,
    )
    # One member in twenty has turned workshop reminders off.
    NotificationRhythm.objects.bulk_create(
        [
            NotificationRhythm(user=m, kind=cocreation_notices.WORKSHOP_REMINDER)
            for m in members[::20]
        ]
    )
    due = starts_at - timedelta(hours=48)

    def job():
        with transaction.atomic():
            return workshop_reminders_send(now=due)

    def baseline_bulk_create():
        with transaction.atomic():
            Notification.objects.bulk_create(
                [
                    Notification(
                        kind=events_notices.EVENT_REMINDER,
                        recipient=m,
                        dedup_key=f"baseline:{m.pk}",
                        language="en",
                        subject="s",
                        body="b",
                    )
                    for m in members
                ],
                batch_size=500,
            )
        deleted, _ = Notification.objects.filter(dedup_key__startswith="baseline:").delete()
        return deleted

    def baseline_mail():
        backend = mail.get_connection() if django.VERSION < (6, 1) else mail.mailers.default
        for m in members:
            message = EmailMultiAlternatives(
                subject="Reminder", body="text", from_email="f@example.org", to=[m.email]
            )
            message.attach_alternative("<p>html</p>", "text/html")
            backend.send_messages([message])
        sent = len(mail.outbox)
        mail.outbox.clear()
        return sent

    rows = [
        measure(BASE_ROWS, baseline_bulk_create),
        measure(BASE_MAIL, baseline_mail),
        measure(JOB, job),
        measure(AGAIN, job),
        measure(SWEEP, notifications_deliver_due),
    ]
    opted_out = len(members[::20])
    assert rows[-1]["result"] == len(mail.outbox) == count - opted_out, "lost or extra e-mail"
    return rows


if __name__ == "__main__":
    main()
