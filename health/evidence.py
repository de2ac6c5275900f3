"""The IRM evidence pack of an action plan: one ZIP holding the plan's public record in the
order the Independent Reporting Mechanism reviews it (the co-creation timeline, the minutes,
the reasoned responses, forum health with its evidence, the forum body over the plan's
period, the commitments, the repository's index), with a README in the language the pack
was asked in that says what each file is.

Only public content, read with the same rules as the public pages: workshops that were
announced (no drafts), published minutes, published contributions (not hidden, not waiting
for moderation), public commitments (no drafts, nothing withdrawn), the public health
report (no draft workshop named), members by their public name only (no e-mail address, no
registration of a person). It lives in health, above actionplans and cocreation, because it
holds forum health's report; the plan's PDF is actionplans' own (`rendering.plan_pdf_kept`,
reused while current).

`evidence_pack_build` is the body of the task (tasks.py imports this module, never the
reverse); a pack is requested in services."""

import hashlib
import io
import json
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actionplans import rendering
from actionplans import selectors as plan_selectors
from actionplans.models import ActionPlan, Commitment, Document
from cocreation.models import (
    Contribution,
    Minutes,
    PastMeeting,
    Registration,
    WalkIn,
    Workshop,
)
from core.responses import csv_text
from core.site import absolute_url
from health.checks import health_report, scope_of
from health.models import EvidencePack, HealthThresholds
from health.participation import participation
from members.models import ForumSeat, StakeholderGroup

logger = logging.getLogger(__name__)

README = "README.txt"

TIMELINE_COLUMNS = [
    "record",
    "process",
    "workshop_id",
    "kind",
    "title",
    "theme",
    "status",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "announced_at",
    "notice_days",
    "attended_government",
    "attended_non_government",
    "attended_total",
    "minutes_published_at",
    "url",
]
HEALTH_EVIDENCE_COLUMNS = [
    "standard",
    "check",
    "state",
    "summary",
    "evidence",
    "date",
    "problem",
    "url",
]
BODY_COLUMNS = [
    "stakeholder_group",
    "member",
    "organisation",
    "sector",
    "co_chair",
    "alternate",
    "term_start",
    "term_end",
    "voting",
]
DOCUMENT_COLUMNS = [
    "dated",
    "kind",
    "title",
    "organisation",
    "commitment_number",
    "milestone",
    "added_at",
    "link",
]


@dataclass
class PackFile:
    name: str  # its path inside the pack's folder
    about: str  # what it is, for the README, in the pack's language
    content: bytes


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _csv(columns: list[str], records) -> bytes:
    return csv_text(columns, records).encode("utf-8")


# --- What the pack reads ----------------------------------------------------------------------


def timeline_workshops(plan: ActionPlan):
    """The workshops of the pack's timeline: those of the plan's co-creation process and the
    forum's meetings around its period (as its health report counts them), announced or held:
    never a draft nor a cancelled one, which forum health does not name in public either."""
    scope = scope_of(plan.forum, plan)
    which = Q(pk__in=scope.meetings.values("pk"))
    if plan.process_id:
        which |= Q(process_id=plan.process_id)
    return (
        Workshop.objects.filter(which)
        .exclude(status__in=[Workshop.Status.DRAFT, Workshop.Status.CANCELLED])
        .select_related("process", "theme")
        .order_by("starts_at", "id")
    )


def timeline_past_meetings(plan: ActionPlan) -> list[PastMeeting]:
    """The meetings held outside the portal that the plan's health report counts: the
    forum's meetings around the plan's period and the implementation reviews within it."""
    return [
        meeting
        for meeting in scope_of(plan.forum, plan).past
        if meeting.kind == Workshop.Kind.FORUM_MEETING
        or plan.period_start <= meeting.held_on <= plan.period_end
    ]


def _attendance(workshops: list[Workshop]) -> dict[int, dict[str, int]]:
    """{workshop id: {group: people}}: those checked in and those who walked in without an
    account, as the minutes count them (two queries)."""
    counted: dict[int, dict[str, int]] = defaultdict(dict)
    ids = [w.pk for w in workshops]
    attended = (
        Registration.objects.filter(
            workshop_id__in=ids,
            status=Registration.Status.CONFIRMED,
            attendance=Registration.Attendance.ATTENDED,
        )
        .values_list("workshop_id", "stakeholder_group")
        .annotate(n=Count("id"))
    )
    walked_in = (
        WalkIn.objects.filter(workshop_id__in=ids)
        .values_list("workshop_id", "stakeholder_group")
        .annotate(n=Count("id"))
    )
    for rows in (attended, walked_in):
        for workshop_id, group, n in rows:
            counted[workshop_id][group] = counted[workshop_id].get(group, 0) + n
    return counted


def _published_minutes(workshops: list[Workshop]) -> dict[int, Minutes]:
    return {
        m.workshop_id: m
        for m in Minutes.objects.filter(
            workshop__in=[w.pk for w in workshops], published_at__isnull=False
        )
    }


def _notice_days(workshop: Workshop) -> str:
    if workshop.announced_at is None:
        return ""
    ahead = timezone.localdate(workshop.starts_at) - timezone.localdate(workshop.announced_at)
    return str(ahead.days)


def timeline_records(plan: ActionPlan, workshops, attendance, minutes, recorded=()):
    if plan.process is not None:
        yield {
            **dict.fromkeys(TIMELINE_COLUMNS, ""),
            "record": "process",
            "process": plan.process.title,
            "title": plan.process.title,
            "starts_at": _iso(workshops[0].starts_at) if workshops else "",
            "ends_at": _iso(max(w.ends_at for w in workshops)) if workshops else "",
        }
    rows = []
    for workshop in workshops:
        counts = attendance.get(workshop.pk, {})
        government = counts.get(StakeholderGroup.GOVERNMENT, 0)
        non_government = counts.get(StakeholderGroup.NON_GOVERNMENT, 0)
        published = minutes.get(workshop.pk)
        rows.append(
            {
                "record": "workshop",
                "process": workshop.process.title,
                "workshop_id": workshop.pk,
                "kind": workshop.kind,
                "title": workshop.title,
                "theme": workshop.theme.name if workshop.theme else "",
                "status": workshop.status,
                "starts_at": _iso(workshop.starts_at),
                "ends_at": _iso(workshop.ends_at),
                "time_zone": workshop.time_zone,
                "venue": workshop.venue,
                "announced_at": _iso(workshop.announced_at),
                "notice_days": _notice_days(workshop),
                "attended_government": government,
                "attended_non_government": non_government,
                "attended_total": government + non_government,
                "minutes_published_at": _iso(published.published_at) if published else "",
                "url": absolute_url(workshop.get_absolute_url()),
            }
        )

    for meeting in recorded:
        government, non_government = meeting.present_government, meeting.present_non_government
        rows.append(
            {
                **dict.fromkeys(TIMELINE_COLUMNS, ""),
                "record": "past_meeting",
                "kind": meeting.kind,
                "title": meeting.title,
                "status": "held",
                "starts_at": meeting.held_on.isoformat(),
                "attended_government": "" if government is None else government,
                "attended_non_government": "" if non_government is None else non_government,
                "attended_total": (government or 0) + (non_government or 0)
                if meeting.attendance_known
                else "",
                "url": absolute_url(meeting.minutes_link) if meeting.minutes_link else "",
            }
        )
    yield from sorted(rows, key=lambda row: row["starts_at"][:10])


def _named(workshop: Workshop) -> list[str]:
    """Who the public minutes page names: those who came and agreed to be named, with the
    organisation they came for."""
    registrations = (
        workshop.registrations.filter(
            status=Registration.Status.CONFIRMED,
            attendance=Registration.Attendance.ATTENDED,
            agrees_to_be_named=True,
        )
        .select_related("member", "organisation")
        .order_by("member__full_name", "id")
    )
    return [
        r.member.public_name + (f", {r.organisation.name}" if r.organisation else "")
        for r in registrations
    ]


def forum_body_seats(plan: ActionPlan):
    """The seats of the plan's forum whose term overlaps the plan's period."""
    return (
        ForumSeat.objects.filter(forum=plan.forum, term_start__lte=plan.period_end)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=plan.period_start))
        .select_related("member", "organisation__sector", "alternate")
        .order_by("stakeholder_group", "-co_chair", "organisation__name", "term_start", "id")
    )


def body_record(seat: ForumSeat) -> dict:
    return {
        "stakeholder_group": seat.stakeholder_group,
        "member": seat.member.public_name,
        "organisation": seat.organisation.name,
        "sector": seat.organisation.sector.name,
        "co_chair": "yes" if seat.co_chair else "no",
        "alternate": seat.alternate.public_name if seat.alternate else "",
        "term_start": _iso(seat.term_start),
        "term_end": _iso(seat.term_end),
        "voting": "yes" if seat.voting else "no",
    }


def plan_documents(plan: ActionPlan):
    return plan.documents.select_related("organisation", "milestone__commitment").order_by(
        "dated", "id"
    )


def document_record(document: Document) -> dict:
    milestone = document.milestone
    # A milestone of a commitment the public does not see is not named.
    public = milestone is not None and milestone.commitment.status in Commitment.PUBLIC_STATUSES
    return {
        "dated": _iso(document.dated),
        "kind": document.kind,
        "title": document.title,
        "organisation": document.organisation.name if document.organisation else "",
        "commitment_number": milestone.commitment.number if public else "",
        "milestone": milestone.position if public else "",
        "added_at": _iso(document.added_at),
        "link": absolute_url(document.get_absolute_url()),
    }


def health_evidence_records(report):
    for check in report.checks:
        base = {
            "standard": check.standard,
            "check": check.title,
            "state": check.state,
            "summary": check.summary,
        }
        if not check.evidence:
            yield {**base, "evidence": "", "date": "", "problem": "", "url": ""}
        for item in check.evidence:
            yield {
                **base,
                "evidence": item.text,
                "date": _iso(item.when),
                "problem": "yes" if item.problem else "no",
                "url": absolute_url(item.url),
            }


# --- Whether a built pack is still current ------------------------------------------------


def evidence_fingerprint(plan: ActionPlan, language: str) -> str:
    """Changes whenever anything the pack holds changes: the plan's PDF's own fingerprint
    (the plan, its commitments and milestones, the reasoned responses, the forum-health
    annex, the date), and the workshops, minutes, attendance, contributions, forum body,
    repository and thresholds it reads; in a few queries, without building anything."""
    workshops = timeline_workshops(plan)
    ids = list(workshops.values_list("pk", flat=True))
    parts = [
        language,
        plan.process.title if plan.process else "",
        plan_selectors.fingerprint(plan, kind="pdf"),
        list(
            workshops.values_list(
                "pk",
                "status",
                "kind",
                "title",
                "theme__name",
                "starts_at",
                "ends_at",
                "time_zone",
                "venue",
                "announced_at",
            )
        ),
        [
            (m.pk, m.kind, m.held_on, m.title, m.minutes_link)
            + (m.present_government, m.present_non_government)
            for m in timeline_past_meetings(plan)
        ],
        list(
            Minutes.objects.filter(workshop_id__in=ids)
            .order_by("workshop_id")
            .values_list("workshop_id", "published_at", "updated_at")
        ),
        list(
            Registration.objects.filter(workshop_id__in=ids)
            .values_list("workshop_id", "stakeholder_group", "status", "attendance")
            .annotate(n=Count("id"), named=Count("id", filter=Q(agrees_to_be_named=True)))
            .order_by("workshop_id", "stakeholder_group", "status", "attendance")
        ),
        list(
            WalkIn.objects.filter(workshop_id__in=ids)
            .values_list("workshop_id", "stakeholder_group")
            .annotate(n=Count("id"))
            .order_by("workshop_id", "stakeholder_group")
        ),
        list(
            Contribution.objects.filter(workshop__process_id=plan.process_id)
            .order_by("pk")
            .values_list("pk", "status", "title")
            if plan.process_id
            else []
        ),
        list(
            forum_body_seats(plan).values_list(
                "pk",
                "stakeholder_group",
                "member__full_name",
                "member__is_active",
                "organisation__name",
                "organisation__sector__name",
                "alternate__full_name",
                "term_start",
                "term_end",
                "voting",
                "co_chair",
            )
        ),
        list(
            plan_documents(plan).values_list(
                "pk",
                "kind",
                "title",
                "dated",
                "added_at",
                "file",
                "url",
                "organisation__name",
                "milestone__position",
                "milestone__commitment__status",
            )
        ),
        str(HealthThresholds.of(plan.forum).updated_at),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- Building it ---------------------------------------------------------------------------


def _register_pdf(plan: ActionPlan, rows: list) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 -- a heavy import (0.4 s), only when a PDF is built

    html = render_to_string(
        "health/evidence/register_pdf.html",
        {
            "plan": plan,
            "rows": rows,
            "fonts": rendering.FONTS.as_uri(),
            "generated_at": timezone.now(),
            "language": translation.get_language(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant=rendering.PDF_VARIANT
    )


def pack_files(
    plan: ActionPlan, *, by=None, progress: Callable[[int], None] = lambda percent: None
) -> list[PackFile]:
    """Every file of the pack but the README, in the IRM's order, described in the active
    language."""
    files: list[PackFile] = []
    workshops = list(timeline_workshops(plan))
    attendance = _attendance(workshops)
    minutes = _published_minutes(workshops)
    recorded = timeline_past_meetings(plan)

    # 1. The co-creation timeline.
    files.append(
        PackFile(
            "01-co-creation-timeline.csv",
            _(
                "The co-creation timeline: the co-creation process and, by date, each of its "
                "workshops and the forum's meetings around the plan's period (no draft, no "
                "cancelled one), with when each was announced and how many days ahead (notice "
                "given), the people who attended by stakeholder group (walk-ins counted) and "
                "when its minutes were published; and the meetings held outside the portal "
                "that the secretariat recorded (record past_meeting), with the link to their "
                "minutes."
            ),
            _csv(
                TIMELINE_COLUMNS,
                timeline_records(plan, workshops, attendance, minutes, recorded),
            ),
        )
    )
    progress(10)

    # 2. The minutes, one page each.
    number = 0
    for workshop in workshops:
        published = minutes.get(workshop.pk)
        if published is None:
            continue
        number += 1
        day = timezone.localdate(workshop.starts_at)
        words = slugify(workshop.title, allow_unicode=True)[:50]  # a title in Cyrillic too
        name = f"02-minutes/{number:02d}-{day.isoformat()}-{words}.html"
        counts = attendance.get(workshop.pk, {})
        html = render_to_string(
            "health/evidence/minutes.html",
            {
                "plan": plan,
                "workshop": workshop,
                "minutes": published,
                "by_group": [
                    {"label": label, "count": counts.get(value, 0)}
                    for value, label in StakeholderGroup.choices
                ],
                "total": sum(counts.values()),
                "named": _named(workshop),
                "language": translation.get_language(),
                "url": absolute_url(reverse("cocreation:minutes", args=[workshop.pk])),
            },
        )
        files.append(
            PackFile(
                name,
                _(
                    "The published minutes of %(workshop)s (%(date)s), with the attendance by "
                    "stakeholder group, as on the portal (a web page)."
                )
                % {"workshop": workshop.title, "date": _date(day)},
                html.encode("utf-8"),
            )
        )
    progress(20)

    # 3. The reasoned-response register.
    rows = list(plan_selectors.register_rows(plan))
    files.append(
        PackFile(
            "03-reasoned-responses.csv",
            _(
                "The reasoned-response register: every published contribution to the plan's "
                "co-creation workshops, its reasoned response (disposition and explanation) "
                "and the public commitments it fed, as data."
            ),
            _csv(rendering.REGISTER_COLUMNS, (rendering.register_record(c) for c in rows)),
        )
    )
    files.append(
        PackFile(
            "03-reasoned-responses.pdf",
            _("The same register as a document to read and print."),
            _register_pdf(plan, rows),
        )
    )
    progress(35)

    # 4. Forum health, with every item of its evidence.
    report = health_report(forum=plan.forum, plan=plan, all_evidence=True)
    for check in report.checks:  # the files are read away from the portal: full links
        for item in check.evidence:
            item.url = absolute_url(item.url)
    figures = participation(forum=plan.forum, plan=plan)
    files.append(
        PackFile(
            "04-forum-health.html",
            _(
                "The forum-health report of the plan: each of OGP's minimum requirements the "
                "portal measures, whether it is met, and every record of evidence it rests on, "
                "with links (a web page)."
            ),
            render_to_string(
                "health/evidence/health.html",
                {
                    "plan": plan,
                    "report": report,
                    "language": translation.get_language(),
                },
            ).encode("utf-8"),
        )
    )
    files.append(
        PackFile(
            "04-forum-health-evidence.csv",
            _(
                "The evidence of the forum-health report as data: one row per record of "
                "evidence, with the requirement, the check, its state, the date and a link."
            ),
            _csv(HEALTH_EVIDENCE_COLUMNS, health_evidence_records(report)),
        )
    )
    data = report.as_dict()
    data["participation"] = figures.as_dict()
    files.append(
        PackFile(
            "04-forum-health.json",
            _("The forum-health report and the participation figures it rests on, as JSON."),
            _json(data),
        )
    )
    progress(45)

    # 5. The forum body over the plan's period.
    files.append(
        PackFile(
            "05-forum-body.csv",
            _(
                "The forum body over the plan's period: every seat whose term overlaps "
                "%(start)s to %(end)s, with its member (by public name), organisation, sector, "
                "stakeholder group, alternate, term, voting right and whether it co-chairs."
            )
            % {"start": _date(plan.period_start), "end": _date(plan.period_end)},
            _csv(BODY_COLUMNS, (body_record(s) for s in forum_body_seats(plan))),
        )
    )
    progress(50)

    # 6. The commitments: the plan's document, and its tables.
    def pdf_progress(percent: int) -> None:
        progress(50 + percent * 40 // 100)

    files.append(
        PackFile(
            "06-commitments.pdf",
            _(
                "The action plan as published, in its own language: each public commitment in "
                "OGP's template with its milestone table, the co-creation annex and the "
                "forum-health annex."
            ),
            rendering.plan_pdf_kept(plan, by=by, progress=pdf_progress),
        )
    )
    files.append(
        PackFile(
            "06-commitments.csv",
            _(
                "The public commitments as data, with OGP's column names: the template's "
                "fields, the number of milestones, completion (0 to 1) and the IRM's fields "
                "(verifiable, open-government lens, potential for results, completion, did it "
                "open government)."
            ),
            _csv(rendering.COMMITMENT_COLUMNS, rendering.commitment_records(plan)),
        )
    )
    files.append(
        PackFile(
            "06-milestones.csv",
            _(
                "Their milestones as data: activity, deliverable, responsible, dates, "
                "completion and the link to the evidence, as the lead agency reported them, and "
                "beside them civil society's own assessment (completion on the same scale, "
                "evidence, note, organisation, date) with whether the two differ."
            ),
            _csv(rendering.MILESTONE_COLUMNS, rendering.milestone_records(plan)),
        )
    )
    progress(92)

    # 7. The repository.
    files.append(
        PackFile(
            "07-documents-index.csv",
            _(
                "The index of the plan's public repository: each document's date, kind, title, "
                "organisation, the milestone it is evidence for, and a link to it."
            ),
            _csv(DOCUMENT_COLUMNS, (document_record(d) for d in plan_documents(plan))),
        )
    )
    return files


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def readme_text(plan: ActionPlan, files: list[PackFile], *, built_at) -> str:
    """What each file of the pack is, in the active language: one line per file, "- name:
    what it is", in the pack's order."""
    lines = [
        _("Evidence pack for the Independent Reporting Mechanism (IRM)"),
        "",
        _("%(plan)s, %(forum)s. Built on %(date)s from %(site)s.")
        % {
            "plan": plan.title,
            "forum": plan.forum.name,
            "date": formats.date_format(timezone.localtime(built_at), "DATETIME_FORMAT"),
            "site": absolute_url(plan.get_absolute_url()),
        },
        _(
            "Only public content: what the portal's public pages show. No draft workshop, "
            "commitment or minutes; no hidden contribution; members by their public name only."
        ),
        _(
            "The files are numbered in the order of the IRM's review. CSV files are UTF-8 with "
            "the column names of the portal's open data; dates and times are in ISO 8601."
        ),
        "",
        _("The files:"),
        "",
        f"- {README}: " + _("This file."),
    ]
    lines += [f"- {f.name}: {f.about}" for f in files]
    if not any(f.name.startswith("02-") for f in files):
        lines += ["", _("No minutes of these workshops are published, so there is no 02 file.")]
    return "\n".join(lines) + "\n"


def pack_folder(plan: ActionPlan) -> str:
    return f"{plan.slug}-irm-evidence"


def pack_zip(plan: ActionPlan, files: list[PackFile], readme: str) -> bytes:
    buffer = io.BytesIO()
    folder = pack_folder(plan)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/{README}", readme.encode("utf-8"))
        for item in files:
            archive.writestr(f"{folder}/{item.name}", item.content)
    return buffer.getvalue()


def evidence_pack_build(pack_id: int) -> EvidencePack:
    """The task's work: claim the queued pack, build its files in the language it was asked
    in, store the ZIP, report progress as it goes. A pack is built at most once; a failure
    marks it failed (the error kept for the administrator) and is not raised: its page
    offers to try again."""
    claimed = EvidencePack.objects.filter(pk=pack_id, status=EvidencePack.Status.QUEUED).update(
        status=EvidencePack.Status.RUNNING, progress=5
    )
    pack = EvidencePack.objects.select_related("plan__forum", "plan__process").get(pk=pack_id)
    if not claimed:
        return pack

    def progress(percent: int) -> None:
        EvidencePack.objects.filter(pk=pack_id).update(progress=percent)

    try:
        with translation.override(pack.language):
            built_at = timezone.now()
            files = pack_files(pack.plan, by=pack.requested_by, progress=progress)
            content = pack_zip(pack.plan, files, readme_text(pack.plan, files, built_at=built_at))
    except Exception as error:  # noqa: BLE001 - any failure of the build is shown as "failed"
        logger.exception("The evidence pack %s of %s failed", pack_id, pack.plan)
        EvidencePack.objects.filter(pk=pack_id).update(
            status=EvidencePack.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        pack.refresh_from_db()
        return pack
    name = f"{pack_folder(pack.plan)}-{pack.language}.zip"
    pack.file.save(name, ContentFile(content), save=False)
    pack.size = len(content)
    pack.progress = 100
    pack.status = EvidencePack.Status.DONE
    pack.finished_at = timezone.now()
    pack.save()
    return pack
