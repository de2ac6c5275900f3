"""Forum health computed once, shown many times (issue 27).

Each forum's public report (the whole forum, and each of its plans' that someone opened) is
computed by the worker, in each language someone read it in, and stored with the time it
was computed (`StoredReport`); the health page, its JSON and the "all N" lists of evidence
are served from it. It is computed again:

- when a record it rests on changes: health listens to the saves and deletions of those
  models (`RECORDS`, connected in HealthConfig.ready). The lower apps (co-creation, action
  plans) cannot import health, and listening to their models catches every path that
  changes them (their services, the back office, the admin, the demo data) without each
  service having to remember to ask. A save only notes the model and row (no query); once
  the transaction commits, the rows' forums are looked up and one recompute per forum is
  queued, coalesced: a flag in the cache per forum, dropped when the worker starts it, so
  that a hundred registrations in a minute queue one recompute, not a hundred. With eager
  tasks (no broker: the embedded setup) it runs at once, after the commit (a thread of the
  web process was tried: on SQLite it met the request's own writes, "database is locked");
- on a schedule (`health.recompute_all`, hourly in CELERY_BEAT_SCHEDULE): what the clock
  alone changes (a deadline passed) and what a bulk update changed without a signal;
- on the first view of a forum, plan or language with no stored report yet: once.

The secretariat's own view (with the drafts it must announce) is computed for it on each
visit, as before: nobody else sees it.

The public pages built from a stored report (the health page and a check's page as an
anonymous visitor reads them, the JSON, the whole forum's participation) are kept
(core.kept_pages) until a new report is stored or a name they show changes (`PAGES`, the
generation they follow), not until anything at all is written: a busy forum's visitors are
served the kept page between two recomputes, as they would be served the stored report.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone, translation

from actionplans.models import ActionPlan, Commitment, Document, Milestone, MilestoneAssessment
from cocreation.models import (
    CoCreationProcess,
    Comment,
    Contribution,
    Minutes,
    PastMeeting,
    ReasonedResponse,
    Registration,
    Support,
    Workshop,
)
from core.generations import generation_bump
from core.queue import task_enqueue
from health.checks import _WORST, EVIDENCE_SHOWN, NOT_APPLICABLE, STATE_LABELS, health_report
from health.models import EvidencePack, HealthThresholds, StoredItem, StoredReport
from health.participation import Figures, Participation, WorkshopParticipation, participation
from members.models import Forum, Sector

FORUM_SCOPE = "forum"
STALE_AFTER = timedelta(hours=3)  # older than this, the page says how old it is
RECOMPUTE_TASK = "health.recompute_forum"
WARNINGS_KEPT = 10  # the soonest due of each check, in the summary the page reads
EVIDENCE, WARNINGS, WORKSHOPS = "evidence:", "warnings:", "workshops"  # StoredItem.list
FLAG_TTL = 600  # seconds: a flag whose task was lost lets the next change queue again

# The records a forum's report rests on, and the way from each to its forum.
RECORDS = {
    CoCreationProcess: "forum_id",
    Workshop: "process__forum_id",
    Registration: "workshop__process__forum_id",
    Contribution: "workshop__process__forum_id",
    ReasonedResponse: "contribution__workshop__process__forum_id",
    Support: "contribution__workshop__process__forum_id",
    Comment: "contribution__workshop__process__forum_id",
    Minutes: "workshop__process__forum_id",
    PastMeeting: "forum_id",
    ActionPlan: "forum_id",
    Document: "plan__forum_id",
    Commitment: "plan__forum_id",
    Milestone: "commitment__plan__forum_id",
    MilestoneAssessment: "milestone__commitment__plan__forum_id",
    HealthThresholds: "forum_id",
}


# --- Computing and storing -------------------------------------------------------------------


def due_order(warning: dict) -> tuple:
    return (warning["due"] is None, warning["due"] or "")


def _scope(plan: ActionPlan | None) -> str:
    return FORUM_SCOPE if plan is None else str(plan.pk)


def _public_body(forum: Forum, plan: ActionPlan | None, data: dict, figures: Participation):
    """The report as open data (report.json): the same size for a city forum and a network
    of a hundred. Each check gives its first items of evidence and its soonest warnings,
    with their counts and the address of every item (the check's own JSON, a page at a
    time); participation gives its totals, and the address of the per-workshop rows."""
    slugs = [forum.slug] if plan is None else [forum.slug, plan.slug]
    name = "forum_check_json" if plan is None else "forum_plan_check_json"
    checks = [
        {
            **check,
            "every_item": settings.SITE_URL.rstrip("/")
            + reverse(f"health:{name}", args=[*slugs, check["key"]]),
        }
        for check in data["checks"]
    ]
    figures_data = figures.as_dict()
    del figures_data["workshops"]
    query = f"?scope=plan:{plan.slug}" if plan is not None else ""
    figures_data["workshops_count"] = len(figures.workshops)
    figures_data["workshops_csv"] = (
        settings.SITE_URL.rstrip("/")
        + reverse("health:forum_participation_csv", args=[forum.slug])
        + query
    )
    return {**data, "checks": checks, "participation": figures_data}


def report_store(*, forum: Forum, plan: ActionPlan | None = None, language: str) -> StoredReport:
    """Compute `forum`'s public report (or its `plan`'s) in `language` and store it, with
    the time it was computed. Dates are those of the portal's time zone."""
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        report = health_report(forum=forum, plan=plan, all_evidence=True)
        data = report.as_dict()
        lists = {}
        for check in data["checks"]:  # the evidence is in order: problems first
            lists[EVIDENCE + check["key"]] = check["evidence"]
            lists[WARNINGS + check["key"]] = sorted(check["warnings"], key=due_order)
            check["more_evidence"] = max(len(check["evidence"]) - EVIDENCE_SHOWN, 0)
            check["evidence"] = check["evidence"][:EVIDENCE_SHOWN]
            # the page and the JSON show the soonest due; every item: the check's own list
            check["warnings_count"] = len(check["warnings"])
            check["warnings"] = sorted(check["warnings"], key=due_order)[:WARNINGS_KEPT]
        figures = participation(forum=forum, plan=plan)
        body = json.dumps(
            _public_body(forum, plan, data, figures), ensure_ascii=False, cls=DjangoJSONEncoder
        )
    compact = participation_stored(figures)
    lists[WORKSHOPS] = compact.pop("workshops")[::-1]  # the latest first
    compact["workshops_count"] = len(lists[WORKSHOPS])
    values = {
        "participation": compact,
        "plan": plan,
        "computed_at": report.generated_at,
        "summary": data,
        "body": body,
    }
    try:
        with transaction.atomic():
            stored, _created = StoredReport.objects.update_or_create(
                forum=forum, scope=_scope(plan), language=language, defaults=values
            )
            StoredItem.objects.filter(report=stored).delete()
            StoredItem.objects.bulk_create(
                (
                    StoredItem(report=stored, list=name, position=position, data=item)
                    for name, items in lists.items()
                    for position, item in enumerate(items)
                ),
                batch_size=2000,
            )
    except IntegrityError:  # another process stored it at the same moment
        stored = StoredReport.objects.get(forum=forum, scope=_scope(plan), language=language)
    pages_changed()
    return stored


# --- The kept public pages -------------------------------------------------------------------

# The generation the public pages built from stored reports follow (core.kept_pages).
PAGES = "health-pages"
# What those pages read besides the stored report: the names and links they show.
PAGES_SHOW = (Forum, ActionPlan, CoCreationProcess, Workshop, Sector, EvidencePack)


def pages_changed(**kwargs) -> None:
    """A new stored report, or a name the pages show changed: they are computed again."""
    generation_bump(PAGES)


def pages_of_stored(request) -> str | None:
    """The pages that show an anonymous visitor the stored report and nothing else follow
    PAGES; a member's (with their roles' links) follow every write, as other pages do."""
    return None if request.user.is_authenticated else PAGES


def pages_of_stored_data(request) -> str:
    """The open data built from a stored report is the same for everyone: PAGES."""
    return PAGES


class StoredList(Sequence):
    """A stored list, as a Paginator reads it: its length as stored, and a page's slice of
    items read from the database (one query), never the whole list."""

    def __init__(self, report: StoredReport, name: str, count: int, read=None):
        self.report, self.name, self.count, self.read = report, name, count, read

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(self.count)
        data = (
            StoredItem.objects.filter(
                report=self.report, list=self.name, position__gte=start, position__lt=stop
            )
            .order_by("position")
            .values_list("data", flat=True)
        )
        return [self.read(item) if self.read else item for item in data]


def check_items(report: StoredReport, check: "StoredCheck") -> tuple[StoredList, StoredList]:
    """Every item of evidence of a stored check, and its warnings (soonest due first)."""
    return (
        StoredList(report, EVIDENCE + check.key, check.evidence_count),
        StoredList(report, WARNINGS + check.key, check.warnings_count),
    )


def forum_recompute(forum_id: int) -> int:
    """Compute again every stored report of the forum (each scope and language someone
    read), and its whole-forum report in the default language. Returns how many."""
    cache.delete(_flag(forum_id))  # a change from now on queues another recompute
    forum = Forum.objects.filter(pk=forum_id).first()
    if forum is None:
        return 0
    wanted = {(FORUM_SCOPE, settings.LANGUAGE_CODE)}
    wanted |= set(
        StoredReport.objects.filter(forum=forum).values_list("scope", "language").distinct()
    )
    plans = {str(p.pk): p for p in ActionPlan.objects.filter(forum=forum)}
    done = 0
    for scope, language in sorted(wanted):
        if scope != FORUM_SCOPE and scope not in plans:
            # the plan moved to another forum: its report is that forum's now
            StoredReport.objects.filter(forum=forum, scope=scope).delete()
            continue
        report_store(forum=forum, plan=plans.get(scope), language=language)
        done += 1
    return done


def forums_recompute_all() -> int:
    """The scheduled recompute: every forum's stored reports."""
    return sum(forum_recompute(pk) for pk in Forum.objects.values_list("pk", flat=True))


# --- Reading ---------------------------------------------------------------------------------


def date_read(value) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class StoredCheck:
    key: str
    standard: str
    title: str
    state: str
    summary: str
    evidence: list[dict]
    warnings: list[dict]
    more_evidence: int = 0
    warnings_count: int = 0  # the summary keeps the soonest due (WARNINGS_KEPT)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def evidence_count(self) -> int:
        return len(self.evidence) + self.more_evidence


@dataclass
class StoredHealth:
    """A stored report, read as the health page reads a computed one (checks, warnings,
    limits, assessments, counts), with the time it was computed."""

    generated_at: datetime
    checks: list[StoredCheck]
    limits: dict
    assessments: dict
    stored: bool = True
    plans: list = field(default_factory=list)

    @property
    def state(self) -> str:
        return max((c.state for c in self.checks), key=_WORST.index, default=NOT_APPLICABLE)

    @property
    def warnings(self) -> list[dict]:
        items = [w for check in self.checks for w in check.warnings]
        return sorted(items, key=lambda w: (w["due"] is None, w["due"] or date.max))

    def counts(self) -> dict[str, int]:
        counted = dict.fromkeys(_WORST, 0)
        for check in self.checks:
            counted[check.state] += 1
        return counted

    @property
    def warnings_total(self) -> int:
        return sum(check.warnings_count for check in self.checks)

    @property
    def age(self) -> timedelta:
        return timezone.now() - self.generated_at

    @property
    def stale(self) -> bool:
        return self.age > STALE_AFTER


def stored_health(stored: StoredReport) -> StoredHealth:
    data = stored.summary
    checks = [
        StoredCheck(
            key=c["key"],
            standard=c["standard"],
            title=c["title"],
            state=c["state"],
            summary=c["summary"],
            evidence=[{**e, "when": date_read(e.get("when"))} for e in c["evidence"]],
            warnings=[{**w, "due": date_read(w.get("due"))} for w in c["warnings"]],
            more_evidence=c.get("more_evidence", 0),
            warnings_count=c.get("warnings_count", len(c["warnings"])),
        )
        for c in data["checks"]
    ]
    return StoredHealth(
        generated_at=stored.computed_at,
        checks=checks,
        limits=data["thresholds"],
        assessments=data["assessments"],
    )


def stored_report(
    *, forum: Forum, plan: ActionPlan | None = None, language: str | None = None, only=()
) -> StoredReport:
    """The stored report of `forum` (or its `plan`) in `language` (the active one); computed
    and stored now when there is none yet. `only`: the fields to read (the others deferred)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    rows = StoredReport.objects.filter(forum=forum, scope=_scope(plan), language=language)
    if only:
        rows = rows.only("forum_id", "scope", "language", "computed_at", *only)
    found = rows.first()
    if found is None:
        found = report_store(forum=forum, plan=plan, language=language)
    elif timezone.now() - found.computed_at > STALE_AFTER:
        # The schedule missed it (no beat runs in the embedded setup, or the broker was
        # down): queued again (at once, without a broker); this view shows its age.
        recompute_queue(forum.pk)
    return found


# --- Participation, as its page reads it --------------------------------------------------

_FIGURES = list(Figures.__dataclass_fields__)


def _figures(figures: Figures) -> list[int]:
    return [getattr(figures, name) for name in _FIGURES]


def participation_stored(figures: Participation) -> dict:
    """The participation figures, compact: rows by primary key (the page reads the names)."""
    return {
        "people": figures.people,
        "top_tenth": figures.top_tenth,
        "concentration": figures.concentration,
        "concentration_by_group": figures.concentration_by_group,
        "total": _figures(figures.total),
        "by_group": {g: _figures(f) for g, f in figures.by_group.items()},
        "by_sector": [[s.pk if s else None, _figures(f)] for s, f in figures.by_sector],
        "processes": [[p.pk, _figures(f)] for p, f in figures.processes],
        "workshops": [
            [
                row.workshop.pk,
                row.checked_in,
                _figures(row.total),
                {g: _figures(f) for g, f in row.by_group.items()},
            ]
            for row in figures.workshops
        ],
    }


def participation_read(data: dict) -> Participation:
    """The stored figures as the participation page reads computed ones; each workshop row
    holds its primary key until `workshops_attach` gives it its workshop (a page's only)."""
    sectors = Sector.objects.in_bulk([s for s, _f in data["by_sector"] if s is not None])
    processes = CoCreationProcess.objects.in_bulk([p for p, _f in data["processes"]])
    return Participation(
        workshops=[],  # a page at a time: stored_workshops
        by_group={g: Figures(*f) for g, f in data["by_group"].items()},
        by_sector=[(sectors.get(s), Figures(*f)) for s, f in data["by_sector"]],
        total=Figures(*data["total"]),
        people=data["people"],
        top_tenth=data["top_tenth"],
        concentration=data["concentration"],
        concentration_by_group=data["concentration_by_group"],
        processes=[(processes[p], Figures(*f)) for p, f in data["processes"] if p in processes],
    )


def _workshop_read(row: list) -> WorkshopParticipation:
    pk, checked_in, total, by_group = row
    return WorkshopParticipation(
        workshop=pk,
        by_group={g: Figures(*f) for g, f in by_group.items()},
        by_sector={},
        total=Figures(*total),
        checked_in=checked_in,
    )


def stored_workshops(report: StoredReport) -> StoredList:
    """The stored participation of each workshop, the latest first, read a page at a time."""
    count = report.participation.get("workshops_count", 0)
    return StoredList(report, WORKSHOPS, count, read=_workshop_read)


def workshops_attach(rows) -> None:
    """Give the stored rows of one page their workshops (one query)."""
    pks = [row.workshop for row in rows if isinstance(row.workshop, int)]
    if pks:
        workshops = Workshop.objects.in_bulk(pks)
        for row in rows:
            if isinstance(row.workshop, int):
                row.workshop = workshops.get(row.workshop)


# --- Following changes -----------------------------------------------------------------------


def _flag(forum_id) -> str:
    return f"health-recompute-queued:{forum_id}"


class _Changes:
    """The rows saved or deleted in one transaction (no query until it commits)."""

    def __init__(self):
        self.rows: dict[type, set] = {}
        self.every_forum = False

    def __call__(self):
        forums = set()
        if self.every_forum:
            forums = set(Forum.objects.values_list("pk", flat=True))
        else:
            for model, pks in self.rows.items():
                path = RECORDS[model]
                if path == "forum_id":
                    forums |= pks  # the forum's own primary keys, noted as they were saved
                    continue
                forums |= set(model.objects.filter(pk__in=pks).values_list(path, flat=True))
        for forum_id in sorted(f for f in forums if f is not None):
            recompute_queue(forum_id)


def _note(model, key=None, *, every_forum=False) -> None:
    """Note a row saved or deleted; its forum's recompute is queued once the transaction
    commits (at once outside one)."""
    connection = transaction.get_connection()
    changes = None
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:
            if isinstance(entry[1], _Changes):
                changes = entry[1]
                break
    fresh = changes is None
    if fresh:
        changes = _Changes()
    if every_forum:
        changes.every_forum = True
    else:
        changes.rows.setdefault(model, set()).add(key)
    if fresh:
        transaction.on_commit(changes)  # outside a transaction: runs now


def _record_saved(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures
    direct = RECORDS[sender] == "forum_id"
    _note(sender, instance.forum_id if direct else instance.pk)


def _record_deleted(sender, instance, **kwargs):
    if RECORDS[sender] == "forum_id":
        _note(sender, instance.forum_id)
    else:
        _note(sender, every_forum=True)  # the row is gone: its forum cannot be looked up


def records_follow() -> None:
    """Connect the signals (HealthConfig.ready)."""
    for model in RECORDS:
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"health-{model.__name__}")
        post_delete.connect(_record_deleted, sender=model, dispatch_uid=f"health-{model.__name__}")
    for model in PAGES_SHOW:
        uid = f"health-pages-{model.__name__}"
        post_save.connect(pages_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(pages_changed, sender=model, dispatch_uid=uid, weak=False)


def _eager() -> bool:
    """No broker (the embedded setup): tasks would run inside the request."""
    return bool(current_app.conf.task_always_eager)


def recompute_queue(forum_id: int) -> None:
    """Queue the forum's recompute unless one is already waiting (coalesced). Without a
    broker (eager tasks: the embedded setup) it runs here, after the commit; with the broker
    down it is left to the schedule and to the next view of a stale report."""
    if not cache.add(_flag(forum_id), 1, FLAG_TTL):
        return
    if _eager():
        forum_recompute(forum_id)
        return
    if not task_enqueue(RECOMPUTE_TASK, forum_id):
        cache.delete(_flag(forum_id))
