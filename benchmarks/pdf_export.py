"""How long the action plan's PDF takes, how much memory it needs and how large it is: a
typical plan (20 commitments x 5 milestones), a large one (45 x 10) and the largest OGP has
seen (60 x 15, long texts in Greek, Ukrainian and English). Also the repeated export of an
unchanged plan, which the fingerprint cache answers without rendering.

Each render runs in a forked child process, so each peak memory (maximum resident set size)
is that render's process alone. Baseline in the same run: WeasyPrint rendering a one-page
document; its peak is the process before any real render (Django, WeasyPrint, the URL
configuration, as in a worker), and "+ MiB" what each render adds to it.
Runs in a throw-away test database (PostgreSQL when DATABASE_URL is set, else SQLite).

    .venv/bin/python benchmarks/pdf_export.py
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SIZES = [(20, 5, 1), (45, 10, 2), (60, 15, 3)]  # commitments, milestones, paragraphs per field

PARAGRAPHS = [
    "Η δημόσια διοίκηση δημοσιεύει τα δεδομένα του προϋπολογισμού κάθε μήνα σε ανοιχτή μορφή, "
    "ώστε δημοσιογράφοι, ερευνητές και πολίτες να παρακολουθούν πώς δαπανώνται τα δημόσια "
    "χρήματα και να θέτουν ερωτήματα πριν ληφθούν οι αποφάσεις.",
    "Органи влади публікують дані про публічні закупівлі від планування до оплати, щоб громадяни "
    "могли бачити, хто отримує державні контракти, за якою ціною та з якими змінами, і вчасно "
    "повідомляти про порушення.",
    "The lead agency publishes a plan in the first three months, works with the civil-society "
    "co-drafters on each step, reports progress to the forum twice a year, and files the "
    "evidence of every milestone in the plan's public repository.",
]


def text(paragraphs: int, seed: int) -> str:
    return "\n\n".join(PARAGRAPHS[(seed + i) % 3] for i in range(paragraphs))


def build_plan(commitments: int, milestones: int, paragraphs: int):
    from datetime import date, timedelta

    from actionplans.models import ActionPlan, Commitment, Milestone
    from members.models import Forum, Organisation, Sector

    sector = Sector.objects.get(slug="national-public-body")
    agency, _created = Organisation.objects.get_or_create(
        name="Ministry of Digital Governance", country="GR", defaults={"sector": sector}
    )
    plan = ActionPlan.objects.create(
        forum=Forum.objects.default(),
        title=f"Benchmark plan {commitments}x{milestones}",
        slug=f"bench-{commitments}x{milestones}",
        country="GR",
        period_start=date(2026, 9, 1),
        period_end=date(2028, 8, 31),
        language="en",
        vision=text(3, 0),
        efforts_to_date=text(3, 1),
        development=text(3, 2),
    )
    rows = Commitment.objects.bulk_create(
        [
            Commitment(
                plan=plan,
                number=n + 1,
                title=f"Open data on public spending, part {n + 1}",
                summary=text(1, n),
                problem=text(paragraphs, n + 1),
                description=text(paragraphs + 1, n + 2),
                solution=text(paragraphs, n),
                values_relevance=text(1, n + 1),
                transparency=True,
                public_accountability=True,
                lead_agency=agency,
                non_government_actors=text(1, n + 2),
                contact_name="Eleni Papadopoulou",
                contact_email="opengov@example.gov",
                start_date=plan.period_start,
                end_date=plan.period_end,
                status=Commitment.Status.INCLUDED,
            )
            for n in range(commitments)
        ]
    )
    levels = list(Milestone.Completion.values)
    Milestone.objects.bulk_create(
        [
            Milestone(
                commitment=commitment,
                position=m + 1,
                activity=f"Milestone {m + 1}: " + PARAGRAPHS[m % 3][:160],
                deliverable="A public, machine-readable data set and its documentation",
                start_date=plan.period_start + timedelta(days=40 * m),
                end_date=plan.period_start + timedelta(days=40 * m + 60),
                responsible=agency,
                completion=levels[m % 4],
            )
            for commitment in rows
            for m in range(milestones)
        ],
        batch_size=1000,
    )
    return plan


def in_child(function):
    """Run `function` in a forked child; returns its result, and the child's peak memory."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a connection of its own, never the parent's socket
        os.close(read_end)
        connection.connection = None
        try:
            result = function()
            os.write(write_end, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _pid, _status, usage = os.wait4(pid, 0)
    return json.loads(b"".join(chunks)), usage.ru_maxrss / 1024  # MiB (Linux gives KiB)


def render_plan(plan):
    from actionplans.rendering import plan_pdf_render

    def work():
        started = time.perf_counter()
        pdf, pages = plan_pdf_render(plan)
        return {"seconds": time.perf_counter() - started, "bytes": len(pdf), "pages": pages}

    return work


def render_baseline():
    from weasyprint import HTML

    started = time.perf_counter()
    pdf = HTML(string="<h1>One page</h1><p>Baseline.</p>").write_pdf()
    return {"seconds": time.perf_counter() - started, "bytes": len(pdf), "pages": 1}


def _secretariat(plan):
    from members.models import ForumRole, MembershipStatus, User
    from members.roles import SECRETARIAT

    user, _created = User.objects.get_or_create(
        email="bench.secretariat@bench.example.org",
        defaults={"membership_status": MembershipStatus.APPROVED},
    )
    ForumRole.objects.get_or_create(forum=plan.forum, member=user, role=SECRETARIAT)
    return user


def cached_export(plan):
    from actionplans.rendering import export_build
    from actionplans.services import export_request

    secretariat = _secretariat(plan)
    export = export_request(plan=plan, by=secretariat)  # built at once (eager task)
    export = export_build(export.pk)
    started = time.perf_counter()
    again = export_request(plan=plan, by=secretariat)
    seconds = time.perf_counter() - started
    assert again.pk == export.pk and again.status == "done", "the cache was not used"
    return seconds


def _warm():
    """What a worker (or the web process) has loaded by its second PDF, loaded once here
    before the children fork, so that each figure is the render's own: WeasyPrint (an
    import of 0.4 s) and the URL configuration (0.6 s the first time a link is reversed)."""
    import weasyprint  # noqa: F401, PLC0415
    from django.urls import get_resolver  # noqa: PLC0415

    get_resolver().reverse_dict  # noqa: B018 - populates the resolver


TARGETS = {(20, 5): 3.0, (60, 15): 15.0}  # seconds, issue 21
TARGET_MIB = 400  # the 60x15 render's own peak memory, above the one-page baseline's
TARGET_CACHED = 0.1  # seconds, the unchanged re-export


def main():
    import logging

    from django.conf import settings

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    setup_test_environment()
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    from forum.celery import app as celery_app

    celery_app.conf.task_always_eager = True  # the build runs here, whatever the broker
    settings.BACKGROUND_THREADS = False  # ... at once, not in a thread beside the request
    _warm()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":  # <name>_test: the benchmark's own database
        connection.settings_dict["TEST"]["NAME"] = old_name + "_test"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    try:
        baseline, baseline_rss = in_child(render_baseline)
        rows.append({"plan": "baseline: one-page PDF", **baseline, "peak_mib": baseline_rss})
        for commitments, milestones, paragraphs in SIZES:
            plan = build_plan(commitments, milestones, paragraphs)
            connection.close()  # the child opens its own
            result, rss = in_child(render_plan(plan))
            row = {
                "plan": f"{commitments} commitments x {milestones} milestones",
                **result,
                "peak_mib": rss,
                "target_seconds": TARGETS.get((commitments, milestones)),
            }
            if (commitments, milestones) == (60, 15):
                row["cached_seconds"] = cached_export(plan)
            rows.append(row)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"Action-plan PDF export (WeasyPrint), on {connection.vendor}")
    print(
        f"{'plan':<36} {'seconds':>8} {'x base':>7} {'pages':>6} {'size KiB':>9} {'peak MiB':>9}"
        f" {'+ MiB':>6}  target"
    )
    base = rows[0]["seconds"]
    for row in rows:
        target = row.get("target_seconds")
        verdict = target and f"  < {target:.0f} s: {'met' if row['seconds'] < target else 'MISSED'}"
        print(
            f"{row['plan']:<36} {row['seconds']:>8.2f} {row['seconds'] / base:>7.1f} "
            f"{row['pages']:>6} {row['bytes'] / 1024:>9.0f} {row['peak_mib']:>9.0f}"
            f" {row['peak_mib'] - rows[0]['peak_mib']:>6.0f}" + (verdict or "")
        )
    largest = rows[-1]
    # The process's own memory before any render (Django, WeasyPrint, the URL configuration:
    # what a worker holds) is the one-page baseline's peak; "+ MiB" is what a render adds.
    own = largest["peak_mib"] - rows[0]["peak_mib"]
    met = own < TARGET_MIB
    print(
        f"peak memory of the 60x15 render: {largest['peak_mib']:.0f} MiB, of which "
        f"{rows[0]['peak_mib']:.0f} MiB is the process before it and {own:.0f} MiB the render's "
        f"own (< {TARGET_MIB} MiB: {'met' if met else 'MISSED'})"
    )
    cached = largest["cached_seconds"]
    print(
        f"repeated export of the unchanged 60x15 plan (cache): {cached * 1000:.1f} ms "
        f"(< {TARGET_CACHED * 1000:.0f} ms: {'met' if cached < TARGET_CACHED else 'MISSED'}), "
        f"{largest['seconds'] / cached:,.0f}x faster than rendering"
    )
    out = ROOT / "benchmarks" / "results" / "pdf_export.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"vendor": connection.vendor, "rows": rows}, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
