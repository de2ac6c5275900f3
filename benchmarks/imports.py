"""How long a 50,000-row import of organisations and people takes, and the process's peak
memory (issue 31): the check of every row (the preview), the writing of every new row (an
organisation where it is new, one invitation and its e-mail for each person), and the same
file again (nothing new). And a forum's past meetings (a few hundred rows).

Runs in a throw-away test database (PostgreSQL when DATABASE_URL is set, else SQLite), the
steps called as the worker calls them. The e-mails are queued for the worker on the broker
(REDIS_URL, required: a database of its own is emptied at the end) and not sent: what is
measured is the import's own work, as in production, where the worker sends them apart.
Peak memory is the process's maximum resident size (ru_maxrss) after each step: it does not
grow with the rows when the file is read as a stream.

    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python benchmarks/imports.py [--rows 50000]
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
if not os.environ.get("REDIS_URL"):
    sys.exit("Set REDIS_URL to a Redis database of its own (it is emptied at the end).")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from forum.celery import app as celery_app  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label, rows, function):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return {
        "step": label,
        "rows": rows,
        "seconds": round(elapsed, 1),
        "rows_per_second": round(rows / elapsed, 1) if elapsed else None,
        "queries_per_row": round(len(queries) / max(rows, 1), 1),
        "peak_mb": round(peak_mb()),
        "result": result,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    setup_test_environment()
    celery_app.conf.task_always_eager = False  # queued on the broker, as in production
    settings.DEBUG = False  # no query log growing with the rows
    media = tempfile.TemporaryDirectory()
    settings.MEDIA_ROOT = media.name  # the uploaded files go with it
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = old_name + "_imports_test"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    started_mb = peak_mb()  # after the migrations
    try:
        steps = run(args.rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        celery_app.connection_for_write().default_channel.client.flushdb()
        media.cleanup()

    print(f"Imports on {connection.vendor}; {started_mb:.0f} MB held before them (migrated)")
    print(f"{'step':<48} {'rows':>7} {'seconds':>8} {'rows/s':>8} {'q/row':>6} {'peak MB':>8}")
    for row in steps:
        print(
            f"{row['step']:<48} {row['rows']:>7,} {row['seconds']:>8.1f} "
            f"{row['rows_per_second'] or 0:>8,.1f} {row['queries_per_row']:>6} {row['peak_mb']:>8}"
        )
    out = ROOT / "benchmarks" / "results" / "imports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"vendor": connection.vendor, "steps": steps}, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


def _forum_and_secretariat():
    from members.models import Forum, ForumRole, Organisation, Sector, StakeholderGroup, User

    forum = Forum.objects.create(name="WeOpenGov", slug="weopengov", country="GR")
    for slug, name, group in [
        ("civil-society", "Civil-society organisation", StakeholderGroup.NON_GOVERNMENT),
        ("national-public-body", "National public body", StakeholderGroup.GOVERNMENT),
        ("regional-local-government", "Regional or local government", StakeholderGroup.GOVERNMENT),
        ("academia", "Academia and research", StakeholderGroup.NON_GOVERNMENT),
    ]:
        Sector.objects.update_or_create(
            slug=slug, defaults={"name": name, "stakeholder_group": group}
        )
    Organisation.objects.create(
        name="ΚΕΔΕ", sector=Sector.objects.get(slug="regional-local-government"), country="GR"
    )
    secretariat = User.objects.create(email="secretariat@bench.example.org", full_name="Eleni")
    ForumRole.objects.create(member=secretariat, forum=forum, role="secretariat")
    return forum, secretariat


def run(count):
    from cocreation.models import PastMeeting
    from members import imports
    from members.models import Invitation
    from tests.support.spreadsheets import csv_bytes, greek_csv

    forum, secretariat = _forum_and_secretariat()
    steps = []
    data = greek_csv(count)

    def previewed(content: str, payload: bytes, name: str):
        upload = imports.member_import_upload(
            forum=forum,
            file=SimpleUploadedFile(name, payload),
            by=secretariat,
            default_language="el",
            content=content,
        )
        imports.member_import_map(
            member_import=upload, mapping=upload.mapping, default_language="el", by=secretariat
        )  # queued on the broker; the worker's step is called here
        return imports.import_preview_build(upload.pk)

    def written(upload):
        imports.member_import_confirm(member_import=upload, by=secretariat)
        return imports.import_run(upload.pk)

    first = {}

    def check():
        first["import"] = previewed("members", data, "members.csv")
        i = first["import"]
        return f"{i.rows_new} new, {i.rows_error} errors"

    steps.append(measure("members: check every row (the preview)", count, check))

    def write():
        first["import"] = written(first["import"])
        return f"{first['import'].people_invited} invited"

    steps.append(measure("members: write (organisations, invitations)", count, write))
    assert Invitation.objects.filter(forum=forum).count() == first["import"].people_invited

    def again():
        i = previewed("members", data, "members.csv")
        return f"{i.rows_new} new, {i.rows_existing} existing"

    steps.append(measure("members: the same file again (the preview)", count, again))

    meetings = 500
    today = timezone.localdate()
    rows = [
        [(today - timedelta(days=3 * n + 1)).isoformat(), f"Forum meeting {n}", "", "", "4", "6"]
        for n in range(meetings)
    ]
    payload = csv_bytes(rows, ["Date", "Title", "Kind", "Minutes", "Government", "Civil society"])
    held = {}

    def meetings_check():
        held["import"] = previewed("meetings", payload, "meetings.csv")
        return f"{held['import'].rows_new} new"

    steps.append(measure("past meetings: check every row", meetings, meetings_check))

    def meetings_write():
        written(held["import"])
        return f"{PastMeeting.objects.filter(forum=forum).count()} recorded"

    steps.append(measure("past meetings: write", meetings, meetings_write))
    return steps


if __name__ == "__main__":
    main()
