"""Open data as files (issue 27): each bulk download of forum/open_data.py is written to a
file by the worker, for every forum together and for each forum, and served as it is (no
query per download, whatever the number of rows).

Layout, under OPEN_DATA_ROOT (default MEDIA_ROOT/open-data): `all/<name>` for every forum and
`forums/<slug>/<name>` for one, each with a gzip copy beside it (`<name>.gz`, level 6) that
is sent to a client accepting gzip. A file is written to a temporary name in the same
directory and moved into place (os.replace): a download never reads half a file.

The files are written again:
- when a record they hold changes: forum listens to the saves and deletions of those models
  (`RECORDS`, connected in ForumConfig.ready); once the transaction commits, one
  `open_data.write` is queued, coalesced (a flag in the cache, dropped when the worker
  starts). With eager tasks (the embedded setup, the tests) or the broker down, the files
  are removed instead, and each is written again by the first request that asks for it;
- on a schedule (`open_data.write`, hourly in CELERY_BEAT_SCHEDULE): the seats taken
  (registrations), the gender aggregate (members joining and leaving) and what a bulk
  update changed without a signal;
- when a file is missing (a new forum, a fresh installation): by the request that asks.
"""

import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan, Commitment, Milestone, MilestoneAssessment
from actionplans.rendering import COMMITMENT_COLUMNS, commitment_record, milestone_record
from cocreation.models import CoCreationProcess, Contribution, ReasonedResponse, Workshop
from core.queue import task_enqueue
from core.responses import csv_lines
from events.models import Event
from forum import open_data as bulk
from health.participation import participation
from members.models import Forum

WRITE_TASK = "open_data.write"
FLAG = "open-data-write-queued"
FLAG_TTL = 600  # seconds: a flag whose task was lost lets the next change queue again
GZIP_LEVEL = 6
ALL = "all"

# The records the files hold. The seats taken (registrations: hundreds a minute when a
# workshop opens) and the gender aggregate follow on the hourly schedule.
RECORDS = (
    CoCreationProcess,
    Workshop,
    Contribution,
    ReasonedResponse,
    Event,
    ActionPlan,
    Commitment,
    Milestone,
    MilestoneAssessment,
    Forum,
)


# --- What each file holds --------------------------------------------------------------------


def _json_lines(data: dict, schema: str) -> Iterator[str]:
    """A JSON document, with the address of its JSON Schema."""
    yield json.dumps(
        {"$schema": schema, **data},
        ensure_ascii=False,
        separators=(",", ":"),  # compact: a fifth smaller than indented, for any reader
        cls=DjangoJSONEncoder,
    )


def _jsonl(records: Iterable[dict]) -> Iterator[str]:
    """JSON Lines: one record a line."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def public_commitments(forum=None):
    """The public commitments of every plan (of `forum`'s), with their milestones and civil
    society's assessment of each: the same queries however many."""
    commitments = Commitment.objects.filter(status__in=Commitment.PUBLIC_STATUSES)
    if forum is not None:
        commitments = commitments.filter(plan__forum=forum)
    return (
        commitments.select_related("plan__forum", "lead_agency", "continues__plan")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related(
                    "responsible", "progress_organisation", "civil_assessment__organisation"
                ).order_by("position", "id"),
            )
        )
        .order_by("plan__period_start", "plan_id", "number")
    )


COMMITMENTS_COLUMNS = ["action_plan_slug", "forum_slug", *COMMITMENT_COLUMNS]


def commitment_rows(forum=None) -> Iterator[dict]:
    for commitment in public_commitments(forum):
        yield {
            "action_plan_slug": commitment.plan.slug,
            "forum_slug": commitment.plan.forum.slug,
            **commitment_record(commitment),
        }


def commitments_json(forum=None) -> dict:
    commitments = []
    for commitment in public_commitments(forum):
        record = {
            "action_plan_slug": commitment.plan.slug,
            "forum_slug": commitment.plan.forum.slug,
            **commitment_record(commitment),
        }
        record["milestones"] = [
            milestone_record(commitment, m, n)
            for n, m in enumerate(commitment.milestones.all(), start=1)
        ]
        commitments.append(record)
    return {"commitments": commitments, "exported_at": timezone.now().isoformat()}


PARTICIPATION_COLUMNS = [
    "forum",
    "workshop_id",
    "workshop",
    "starts_at",
    "checked_in",
    "group",
    "seats",
    "attended",
    "participants",
    "first_time",
    "usual_faces",
    "contributions",
    "supports",
    "comments",
]


def _forums(forum) -> list:
    return [forum] if forum is not None else list(Forum.objects.order_by("pk"))


def participation_json(forum=None) -> dict:
    """Participation in each forum's workshops, by stakeholder group, as forum health
    computes it (health.participation): a few queries per forum."""
    return {
        "forums": [
            {"forum": each.slug, **participation(forum=each).as_dict()} for each in _forums(forum)
        ],
        "exported_at": timezone.now().isoformat(),
    }


def participation_rows(forum=None) -> Iterator[dict]:
    for each in _forums(forum):
        for row in participation(forum=each).workshops:
            groups = [("all", row.total), *((g or "unknown", f) for g, f in row.by_group.items())]
            for group, figures in groups:
                yield {
                    "forum": each.slug,
                    "workshop_id": row.workshop.pk,
                    "workshop": row.workshop.title,
                    "starts_at": row.workshop.starts_at.isoformat(),
                    "checked_in": "yes" if row.checked_in else "no",
                    "group": group,
                    **{name: getattr(figures, name) for name in PARTICIPATION_COLUMNS[6:]},
                }


@dataclass(frozen=True)
class Dump:
    name: str  # the file's name, as in its address under /open-data/
    build: Callable  # forum or None -> the file's text, piece by piece
    schema: str = ""  # the JSON Schema's name (schema/<name>.schema.json)
    gender: bool = False  # left out with OPEN_DATA_GENDER=0

    @property
    def content_type(self) -> str:
        extension = self.name.rsplit(".", 1)[1]
        return {
            "csv": "text/csv; charset=utf-8",
            "json": "application/json; charset=utf-8",
            "jsonl": "application/jsonl; charset=utf-8",
        }[extension]

    @property
    def schema_file(self) -> str:
        return f"{self.schema}.schema.json" if self.schema else ""

    def download_name(self, forum_slug: str | None) -> str:
        if forum_slug is None:
            return self.name
        stem, extension = self.name.rsplit(".", 1)
        return f"{stem}-{forum_slug}.{extension}"


def schema_url(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("open_data_schema", args=[name])


def _json(name, build):
    return lambda forum: _json_lines(build(forum), schema_url(name))


DUMPS = {
    dump.name: dump
    for dump in [
        Dump("workshops.csv", lambda f: bulk.workshops_csv("workshops", f)),
        Dump("contributions.csv", lambda f: bulk.workshops_csv("contributions", f)),
        Dump("workshops.json", _json("workshops", bulk.workshops_json), "workshops"),
        Dump("workshops.jsonl", lambda f: _jsonl(bulk.workshop_records(f)), "workshops"),
        Dump(
            "contributions.json",
            _json("contributions", bulk.contributions_json),
            "contributions",
        ),
        Dump(
            "contributions.jsonl",
            lambda f: _jsonl(bulk.contribution_records(f)),
            "contributions",
        ),
        Dump("idea-links.csv", bulk.links_csv),
        Dump("idea-links.json", _json("idea-links", bulk.links_json), "idea-links"),
        Dump("events.csv", bulk.events_csv),
        Dump("events.json", _json("events", bulk.events_json), "events"),
        Dump(
            "events.jsonl",
            lambda f: _jsonl(bulk.event_record(e) for e in bulk.public_events(f)),
            "events",
        ),
        Dump("commitments.csv", lambda f: csv_lines(COMMITMENTS_COLUMNS, commitment_rows(f))),
        Dump("commitments.json", _json("commitments", commitments_json), "commitments"),
        Dump(
            "participation.csv",
            lambda f: csv_lines(PARTICIPATION_COLUMNS, participation_rows(f)),
        ),
        Dump("participation.json", _json("participation", participation_json), "participation"),
        Dump("gender.csv", bulk.gender_csv, gender=True),
        Dump("gender.json", _json("gender", bulk.gender_json), "gender", gender=True),
    ]
}


def dumps_published() -> list[Dump]:
    return [d for d in DUMPS.values() if settings.OPEN_DATA_GENDER or not d.gender]


# --- Writing ---------------------------------------------------------------------------------


def root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def dump_path(name: str, forum_slug: str | None = None) -> Path:
    if forum_slug is None:
        return root() / ALL / name
    return root() / "forums" / forum_slug / name


def _replace(directory: Path, final: Path, write) -> None:
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{final.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dump_write(dump: Dump, forum: Forum | None = None) -> Path:
    """Write `dump` (of `forum`, or of every forum) and its gzip copy, each atomically."""
    path = dump_path(dump.name, forum.slug if forum else None)
    path.parent.mkdir(parents=True, exist_ok=True)

    def plain(out):
        for piece in dump.build(forum):
            out.write(piece.encode("utf-8"))

    _replace(path.parent, path, plain)

    def compressed(out):
        with (
            path.open("rb") as source,
            gzip.GzipFile(
                filename=path.name, mode="wb", fileobj=out, compresslevel=GZIP_LEVEL, mtime=0
            ) as packed,
        ):
            shutil.copyfileobj(source, packed, 1 << 20)

    _replace(path.parent, path.with_name(path.name + ".gz"), compressed)
    return path


def dumps_write(forum_ids: Iterable[int] | None = None) -> int:
    """Write every file, for every forum together and for each forum (or those of
    `forum_ids`); remove the files of forums that no longer exist. Returns how many."""
    cache.delete(FLAG)  # a change from now on queues another write
    forums = Forum.objects.order_by("pk")
    if forum_ids is not None:
        forums = forums.filter(pk__in=list(forum_ids))
    forums = list(forums)
    done = 0
    for dump in dumps_published():
        dump_write(dump)
        done += 1
        for forum in forums:
            dump_write(dump, forum)
            done += 1
    if forum_ids is None:
        kept = {forum.slug for forum in forums}
        each = root() / "forums"
        if each.is_dir():
            for directory in each.iterdir():
                if directory.name not in kept:
                    shutil.rmtree(directory, ignore_errors=True)
    return done


def dumps_discard() -> None:
    """Remove every file: each is written again by the first request that asks for it."""
    for directory in (root() / ALL, root() / "forums"):
        if directory.is_dir():
            shutil.rmtree(directory, ignore_errors=True)


# --- Reading ---------------------------------------------------------------------------------


@dataclass
class FileFacts:
    dump: Dump
    url: str
    size: int | None  # None: not written yet (written at the first download)
    written_at: datetime | None


def files_listed() -> list[FileFacts]:
    """The files of every forum, with their size and when they were written (no query)."""
    rows = []
    for dump in dumps_published():
        try:
            facts = dump_path(dump.name).stat()
        except OSError:
            size = written = None
        else:
            size = facts.st_size
            written = datetime.fromtimestamp(int(facts.st_mtime), tz=UTC)  # as Last-Modified
        rows.append(FileFacts(dump, reverse("open_data_file", args=[dump.name]), size, written))
    return rows


# --- Following changes -----------------------------------------------------------------------


def _changed(sender, instance=None, **kwargs):
    """A record the files hold was saved or deleted: once the transaction commits, queue the
    write (coalesced by `files_queue`, so that a hundred saves queue one)."""
    if kwargs.get("raw"):
        return  # fixtures
    transaction.on_commit(files_queue)  # outside a transaction: runs now


def records_follow() -> None:
    """Connect the signals (ForumConfig.ready)."""
    for model in RECORDS:
        uid = f"open-data-{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)


def files_queue() -> None:
    """Queue the write of the files unless one is already waiting (coalesced). Without a
    broker (eager tasks) or with the broker down, the files are removed: each is written
    again, with the change, by the first request for it."""
    if current_app.conf.task_always_eager:
        dumps_discard()
        return
    if not cache.add(FLAG, 1, FLAG_TTL):
        return
    if not task_enqueue(WRITE_TASK):
        cache.delete(FLAG)
        dumps_discard()
