"""Forum health: OGP's minimum requirements (../shared/OGP.md, last section) measured from
the portal's own records. Reads only.

Each check says its state (met, at risk, not met, not applicable), the evidence it rests on
(which meetings, which dates, which contributions), with links, and the warnings that the
secretariat should see ahead of time ("the next forum meeting must take place by ...").
The limits OGP leaves to the forum come from `HealthThresholds`, which the secretariat edits.

A report covers one forum of the portal (its meetings, workshops, repository and plans, with
its own thresholds), or one of its action plans: then the workshops are those of the plan's
co-creation process, and the plan-level checks look at that plan only. Every check costs a
fixed number of queries, whatever the size of the data, and of the other forums.
"""

import math
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from actionplans.models import ActionPlan, Commitment, Document, Milestone
from actionplans.selectors import assessed_by_both, assessments_differ
from cocreation.models import Contribution, PastMeeting, Registration, Workshop
from health.models import HealthThresholds
from members.models import Forum, StakeholderGroup

MET = "met"
AT_RISK = "at_risk"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"
STATE_LABELS = {
    MET: gettext_lazy("Met"),
    AT_RISK: gettext_lazy("At risk"),
    NOT_MET: gettext_lazy("Not met"),
    NOT_APPLICABLE: gettext_lazy("Not applicable"),
}
_WORST = [NOT_APPLICABLE, MET, AT_RISK, NOT_MET]  # a report's state is its worst check's

# The kinds of workshop that are announced to the public (trainings are internal).
ANNOUNCED_KINDS = [
    Workshop.Kind.COCREATION,
    Workshop.Kind.FORUM_MEETING,
    Workshop.Kind.IMPLEMENTATION_REVIEW,
]
IMPLEMENTING = [
    ActionPlan.Status.ADOPTED,
    ActionPlan.Status.IMPLEMENTATION,
    ActionPlan.Status.COMPLETED,
]
FORUM_HISTORY_DAYS = 730  # the forum as a whole: the last two years, an action-plan cycle
EVIDENCE_SHOWN = 30  # evidence items listed per check; the rest are counted
# How many a report being made lists: EVIDENCE_SHOWN on the pages, every one (None) in the
# IRM evidence pack (`health_report(all_evidence=True)`).
_evidence_shown: ContextVar[int | None] = ContextVar("evidence_shown", default=EVIDENCE_SHOWN)


@dataclass
class Evidence:
    text: str
    url: str = ""
    when: date | None = None
    problem: bool = False  # this item keeps the check from being met


@dataclass
class Warning:
    text: str
    due: date | None = None  # the deadline, past or ahead
    url: str = ""


@dataclass
class Check:
    key: str
    standard: str  # the OGP minimum requirement, e.g. "1.1"
    title: str
    state: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    more_evidence: int = 0  # items not listed

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def evidence_count(self) -> int:
        """Every item of evidence, listed or not."""
        return len(self.evidence) + self.more_evidence

    @property
    def warnings_count(self) -> int:
        return len(self.warnings)


@dataclass
class Scope:
    forum: Forum
    plan: ActionPlan | None
    plans: list[ActionPlan]
    workshops: QuerySet  # published or held, not drafts, not cancelled
    drafts: QuerySet  # not yet announced: only in the secretariat's report, else none
    meetings: QuerySet  # the forum's meetings in the scope's time, whichever process
    # The meetings its secretariat recorded as held outside the portal: forum meetings in the
    # scope's time, implementation reviews of any time (cocreation.past_meetings).
    past: list[PastMeeting]
    open_ended: bool  # whether the scope runs until today (a plan's period may be over)
    now: datetime
    limits: HealthThresholds

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    @property
    def linked(self) -> bool:
        """False for a plan with no co-creation process: it has no workshops to measure."""
        return self.plan is None or self.plan.process_id is not None

    def name_plan(self, plan: ActionPlan, text: str) -> str:
        """Evidence about one plan, named when the report covers several."""
        return text if self.plan is not None else f"{plan.title}: {text}"


@dataclass
class AssessmentFigures:
    """The public milestones of the report's plans: how many the lead agency reported on,
    civil society assessed, both assessed, and on how many of those the two levels differ."""

    milestones: int = 0
    reported: int = 0
    assessed: int = 0
    both: int = 0
    differ: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class HealthReport:
    forum: Forum
    plan: ActionPlan | None
    checks: list[Check]
    generated_at: datetime
    limits: HealthThresholds
    plans: list[ActionPlan] = field(default_factory=list)  # those covered, oldest first
    assessments: AssessmentFigures = field(default_factory=AssessmentFigures)

    stale = False  # computed for this request (health/stored.py keeps the public one)

    @property
    def state(self) -> str:
        return max((c.state for c in self.checks), key=_WORST.index, default=NOT_APPLICABLE)

    @property
    def warnings(self) -> list[Warning]:
        """Everything due, soonest (or most overdue) first; undated ones last."""
        items = [w for check in self.checks for w in check.warnings]
        return sorted(items, key=lambda w: (w.due is None, w.due or date.max))

    @property
    def warnings_total(self) -> int:
        return sum(len(check.warnings) for check in self.checks)

    def counts(self) -> dict[str, int]:
        counted = dict.fromkeys(_WORST, 0)
        for check in self.checks:
            counted[check.state] += 1
        return counted

    def as_dict(self) -> dict:
        limits = {name: getattr(self.limits, name) for name in HealthThresholds.FIELDS}
        return {
            "forum": {"slug": self.forum.slug, "name": self.forum.name},
            "scope": self.plan.slug if self.plan else "forum",
            "generated_at": self.generated_at.isoformat(),
            "state": self.state,
            "thresholds": limits,
            "assessments": self.assessments.as_dict(),
            "checks": [
                {
                    **{k: v for k, v in asdict(check).items() if k not in ("evidence", "warnings")},
                    "evidence": [_jsonable(asdict(e)) for e in check.evidence],
                    "warnings": [_jsonable(asdict(w)) for w in check.warnings],
                }
                for check in self.checks
            ],
        }


def _jsonable(item: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in item.items()}


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _date(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _workshop_label(workshop: Workshop) -> str:
    return _("%(title)s, %(date)s") % {
        "title": workshop.title,
        "date": _date(_day(workshop.starts_at)),
    }


@dataclass
class _Meeting:
    """A forum meeting as the checks read it: held in the portal (a workshop) or recorded
    by the secretariat as held outside it (a past meeting)."""

    day: date
    moment: datetime  # when it starts; a past meeting's day at its start
    title: str
    url: str
    workshop: Workshop | None = None
    past: PastMeeting | None = None

    @property
    def label(self) -> str:
        text = _("%(title)s, %(date)s") % {"title": self.title, "date": _date(self.day)}
        if self.past is not None:
            text += " · " + (
                _("held outside the portal, recorded with its minutes")
                if self.url
                else _("held outside the portal, recorded without minutes")
            )
        return text


def _forum_meetings(scope: "Scope", *, held_only: bool = False) -> list[_Meeting]:
    """The scope's forum meetings, held in the portal or recorded, in the order they were
    held (no query for the recorded ones: the scope read them)."""
    workshops = scope.meetings.order_by("starts_at", "id")
    if held_only:
        workshops = workshops.filter(starts_at__lte=scope.now)
    items = [
        _Meeting(_day(w.starts_at), w.starts_at, w.title, w.get_absolute_url(), workshop=w)
        for w in workshops
    ]
    for past in scope.past:
        if past.kind != Workshop.Kind.FORUM_MEETING:
            continue
        moment = timezone.make_aware(datetime.combine(past.held_on, datetime.min.time()))
        items.append(_Meeting(past.held_on, moment, past.title, past.minutes_link, past=past))
    return sorted(items, key=lambda m: (m.day, m.moment, m.past is None))


def _capped(evidence: list[Evidence]) -> tuple[list[Evidence], int]:
    """Problems first, then the rest in their order, at most EVIDENCE_SHOWN (every one for
    the evidence pack)."""
    ordered = [e for e in evidence if e.problem] + [e for e in evidence if not e.problem]
    shown = _evidence_shown.get()
    if shown is None:
        return ordered, 0
    return ordered[:shown], max(len(ordered) - shown, 0)


def _check(key, standard, title, state, summary, evidence=(), warnings=()) -> Check:
    shown, more = _capped(list(evidence))
    return Check(key, standard, title, state, summary, shown, list(warnings), more)


def _unlinked(key, standard, title) -> Check:
    return _check(
        key,
        standard,
        title,
        NOT_APPLICABLE,
        _("This plan is not linked to a co-creation process, so it has no workshops."),
    )


# --- 1.1: the forum meets regularly, both groups present -----------------------------------


def forum_meetings(scope: Scope) -> Check:
    limit = scope.limits.meeting_interval_days
    key, standard = "forum_meetings", "1.1"
    title = _("The forum meets at least every %(days)d days") % {"days": limit}
    meetings = _forum_meetings(scope)
    if not meetings:
        return _check(
            key,
            standard,
            title,
            NOT_MET,
            _("No forum meeting is recorded."),
            warnings=[Warning(_("Schedule a forum meeting."), scope.today)],
        )
    today, warn = scope.today, scope.limits.warning_days
    evidence, warnings, state = [], [], MET
    for before, meeting in zip([None, *meetings], meetings, strict=False):
        held = meeting.moment <= scope.now
        label = meeting.label if held else _("%(meeting)s (scheduled)") % {"meeting": meeting.label}
        gap = (meeting.day - before.day).days if before else None
        too_far = gap is not None and gap > limit
        if gap is not None:
            label += " · " + ngettext(
                "%(days)d day after the previous one", "%(days)d days after the previous one", gap
            ) % {"days": gap}
        evidence.append(Evidence(label, meeting.url, meeting.day, too_far))
        if too_far:
            deadline = before.day + timedelta(days=limit)
            if held or deadline < today:
                state = NOT_MET
            else:
                state = max(state, AT_RISK, key=_WORST.index)
                warnings.append(
                    Warning(
                        _(
                            "The next forum meeting must take place by %(deadline)s; the one "
                            "scheduled is on %(date)s."
                        )
                        % {"deadline": _date(deadline), "date": _date(meeting.day)},
                        deadline,
                        meeting.url,
                    )
                )
    last = meetings[-1]
    deadline = last.day + timedelta(days=limit)
    if last.moment <= scope.now and scope.open_ended:
        if deadline < today:
            state = NOT_MET
            warnings.append(
                Warning(
                    _("No forum meeting since %(date)s: the next one was due by %(deadline)s.")
                    % {"date": _date(last.day), "deadline": _date(deadline)},
                    deadline,
                )
            )
        elif (deadline - today).days <= warn:
            state = max(state, AT_RISK, key=_WORST.index)
            warnings.append(
                Warning(
                    _("The next forum meeting must take place by %(deadline)s.")
                    % {"deadline": _date(deadline)},
                    deadline,
                )
            )
    summary = {
        MET: ngettext(
            "%(n)d meeting, none more than %(days)d days apart.",
            "%(n)d meetings, none more than %(days)d days apart.",
            len(meetings),
        )
        % {"n": len(meetings), "days": limit},
        AT_RISK: _("So far met; a deadline is close."),
        NOT_MET: _("Meetings were more than %(days)d days apart, or one is overdue.")
        % {"days": limit},
    }[state]
    if last.moment <= scope.now and scope.open_ended and state != NOT_MET:
        summary += " " + _("The next is due by %(deadline)s.") % {"deadline": _date(deadline)}
    return _check(key, standard, title, state, summary, evidence, warnings)


def groups_present(scope: Scope) -> Check:
    key, standard = "groups_present", "1.1"
    title = _("Both stakeholder groups take part in forum meetings")
    held = [m for m in _forum_meetings(scope, held_only=True) if m.moment <= scope.now]
    if not held:
        return _check(key, standard, title, NOT_APPLICABLE, _("No forum meeting held yet."))
    rows = (
        Registration.objects.filter(
            workshop__in=[m.workshop.pk for m in held if m.workshop is not None],
            status=Registration.Status.CONFIRMED,
        )
        .values("workshop_id", "stakeholder_group")
        .annotate(
            seats=Count("id"),
            attended=Count("id", filter=Q(attendance=Registration.Attendance.ATTENDED)),
        )
    )
    seats, attended = defaultdict(dict), defaultdict(dict)
    for row in rows:
        seats[row["workshop_id"]][row["stakeholder_group"]] = row["seats"]
        attended[row["workshop_id"]][row["stakeholder_group"]] = row["attended"]
    totals = dict.fromkeys(StakeholderGroup.values, 0)
    evidence, state, known = [], MET, 0
    for meeting in held:
        if meeting.workshop is not None:
            # Those checked in; before anyone is checked in, the seats confirmed.
            pk = meeting.workshop.pk
            counted = attended[pk] if any(attended[pk].values()) else seats[pk]
        elif meeting.past.attendance_known:
            counted = {
                StakeholderGroup.GOVERNMENT: meeting.past.present_government or 0,
                StakeholderGroup.NON_GOVERNMENT: meeting.past.present_non_government or 0,
            }
        else:  # recorded without the numbers: listed, neither counted nor a problem
            evidence.append(
                Evidence(
                    meeting.label + ": " + _("those present were not recorded"),
                    meeting.url,
                    meeting.day,
                )
            )
            continue
        known += 1
        present = {group: counted.get(group, 0) for group in StakeholderGroup.values}
        missing = [str(StakeholderGroup(g).label) for g, n in present.items() if not n]
        for group, n in present.items():
            totals[group] += n
        text = (
            meeting.label
            + ": "
            + ", ".join(f"{StakeholderGroup(g).label} {n}" for g, n in present.items())
        )
        if missing:
            state = NOT_MET
            text += " · " + _("no one from %(groups)s") % {"groups": ", ".join(missing)}
        evidence.append(Evidence(text, meeting.url, meeting.day, bool(missing)))
    if not known:
        return _check(
            key,
            standard,
            title,
            NOT_APPLICABLE,
            ngettext(
                "Those present at the %(n)d meeting held were not recorded.",
                "Those present at the %(n)d meetings held were not recorded.",
                len(held),
            )
            % {"n": len(held)},
            evidence,
        )
    everyone = sum(totals.values())
    balance = ", ".join(
        f"{StakeholderGroup(g).label} {round(100 * n / everyone) if everyone else 0}%"
        for g, n in totals.items()
    )
    summary = ngettext(
        "Balance of those present at %(n)d meeting: %(balance)s.",
        "Balance of those present at %(n)d meetings: %(balance)s.",
        known,
    ) % {"n": known, "balance": balance}
    return _check(key, standard, title, state, summary, evidence)


# --- 2.2: the repository -------------------------------------------------------------------


def repository_updated(scope: Scope) -> Check:
    limit = scope.limits.repository_update_days
    key, standard = "repository_updated", "2.2"
    title = _("The repository is updated at least every %(days)d days") % {"days": limit}
    if not scope.plans:
        return _check(key, standard, title, NOT_APPLICABLE, _("No action plan yet."))
    documents = Document.objects.filter(plan__in=scope.plans)
    if scope.plan is None:
        documents = documents.filter(added_at__gte=scope.now - timedelta(days=FORUM_HISTORY_DAYS))
    documents = list(
        documents.select_related("plan")
        .only("title", "added_at", "plan__slug", "plan__title")
        .order_by("added_at", "id")
    )
    today, warn = scope.today, scope.limits.warning_days
    evidence, warnings, state = [], [], MET
    last = documents[-1].added_at if documents else None
    if last is None and scope.plan is None:  # none in two years: the last one before, if any
        last = Document.objects.filter(plan__in=scope.plans).aggregate(last=Max("added_at"))["last"]
    empty = last is None
    since = _day(last) if last else min(_day(plan.created_at) for plan in scope.plans)
    if empty:
        state = NOT_MET  # OGP asks for a repository with documents: none is not met
    for before, document in zip([None, *documents], documents, strict=False):
        gap = (_day(document.added_at) - _day(before.added_at)).days if before else None
        too_far = gap is not None and gap > limit
        if too_far:
            state = NOT_MET
        text = _("%(title)s, added %(date)s") % {
            "title": document.title,
            "date": _date(_day(document.added_at)),
        }
        if too_far:
            text += " · " + _("%(days)d days after the previous update") % {"days": gap}
        evidence.append(
            Evidence(
                scope.name_plan(document.plan, text),
                reverse("actionplans:repository", args=[document.plan.slug]),
                _day(document.added_at),
                too_far,
            )
        )
    evidence.reverse()  # the latest first
    deadline = since + timedelta(days=limit)
    idle = _("The repository has not been updated for %(days)d days, since %(date)s.") % {
        "days": (today - since).days,
        "date": _date(since),
    }
    if scope.open_ended:
        if empty:
            text = _("The repository holds no document yet (%(days)d days since %(date)s).") % {
                "days": (today - since).days,
                "date": _date(since),
            }
            warnings.append(Warning(text, since, _repository_url(scope)))
        elif deadline < today:
            state = NOT_MET
            warnings.append(Warning(idle, deadline, _repository_url(scope)))
        elif (deadline - today).days <= warn:
            state = max(state, AT_RISK, key=_WORST.index)
            warnings.append(
                Warning(
                    idle + " " + _("Update it by %(deadline)s.") % {"deadline": _date(deadline)},
                    deadline,
                    _repository_url(scope),
                )
            )
    if documents:
        summary = ngettext(
            "%(n)d document; last update %(date)s.",
            "%(n)d documents; last update %(date)s.",
            len(documents),
        ) % {"n": len(documents), "date": _date(since)}
    elif empty:
        summary = _("No document yet.")
    else:  # documents, but none in the forum's last two years
        summary = idle
    return _check(key, standard, title, state, summary, evidence, warnings)


def _repository_url(scope: Scope) -> str:
    plan = scope.plan or scope.plans[-1]
    return reverse("actionplans:repository", args=[plan.slug])


# --- 4.1: a reasoned response to every contribution -----------------------------------------


def reasoned_responses(scope: Scope) -> Check:
    days = scope.limits.response_days
    key, standard = "reasoned_responses", "4.1"
    title = _("Every published contribution has a reasoned response within %(days)d days") % {
        "days": days
    }
    if not scope.linked:
        return _unlinked(key, standard, title)
    contributions = list(
        Contribution.objects.filter(
            workshop__in=scope.workshops, status=Contribution.Status.PUBLISHED
        )
        .select_related("workshop", "response")
        .only(
            "title",
            "workshop__title",
            "workshop__starts_at",
            "workshop__ends_at",
            "response__responded_at",
        )
        .order_by("workshop__starts_at", "workshop_id", "id")
    )
    if not contributions:
        return _check(key, standard, title, NOT_APPLICABLE, _("No published contribution yet."))
    today, warn = scope.today, scope.limits.warning_days
    evidence, warnings, state = [], [], MET
    tally = {"in_time": 0, "late": 0, "missing": 0, "pending": 0}
    open_by_workshop = defaultdict(list)
    for contribution in contributions:
        workshop = contribution.workshop
        deadline = _day(workshop.ends_at) + timedelta(days=days)
        response = _one_to_one(contribution, "response")
        if response is not None and _day(response.responded_at) <= deadline:
            tally["in_time"] += 1
            continue
        if response is not None:
            late = (_day(response.responded_at) - deadline).days
            tally["late"] += 1
            state = NOT_MET
            text = ngettext(
                "%(title)s: answered %(late)d day after the deadline (%(deadline)s)",
                "%(title)s: answered %(late)d days after the deadline (%(deadline)s)",
                late,
            ) % {"title": contribution.title, "late": late, "deadline": _date(deadline)}
            evidence.append(Evidence(text, contribution.get_absolute_url(), deadline, True))
            continue
        open_by_workshop[workshop].append(contribution)
        if deadline < today:
            tally["missing"] += 1
            state = NOT_MET
            text = _("%(title)s: no reasoned response; it was due by %(deadline)s") % {
                "title": contribution.title,
                "deadline": _date(deadline),
            }
            evidence.append(Evidence(text, contribution.get_absolute_url(), deadline, True))
        else:
            tally["pending"] += 1
    for workshop, waiting in open_by_workshop.items():
        deadline = _day(workshop.ends_at) + timedelta(days=days)
        if deadline >= today and (deadline - today).days > warn:
            continue
        if deadline >= today:
            state = max(state, AT_RISK, key=_WORST.index)
            text = ngettext(
                "%(n)d contribution from the workshop of %(date)s still has no reasoned "
                "response (due by %(deadline)s).",
                "%(n)d contributions from the workshop of %(date)s still have no reasoned "
                "response (due by %(deadline)s).",
                len(waiting),
            )
        else:
            text = ngettext(
                "%(n)d contribution from the workshop of %(date)s still has no reasoned "
                "response; it was due by %(deadline)s.",
                "%(n)d contributions from the workshop of %(date)s still have no reasoned "
                "response; they were due by %(deadline)s.",
                len(waiting),
            )
        text = text % {
            "n": len(waiting),
            "date": _date(_day(workshop.starts_at)),
            "deadline": _date(deadline),
        }
        warnings.append(
            Warning(text, deadline, reverse("cocreation:contribution_board", args=[workshop.pk]))
        )
    summary = _(
        "%(total)d published: %(in_time)d answered in time, %(late)d late, %(missing)d "
        "without a response after the deadline, %(pending)d not yet due."
    ) % {"total": len(contributions), **tally}
    return _check(key, standard, title, state, summary, evidence, warnings)


def _one_to_one(obj, name: str):
    """The related row of a one-to-one that select_related loaded, or None (no query)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


# --- 3: advance notice; publishing the work --------------------------------------------------


def notice_given(scope: Scope) -> Check:
    days = scope.limits.notice_days
    key, standard = "notice_given", "3"
    title = _("Workshops are announced at least %(days)d days ahead") % {"days": days}
    if not scope.linked:
        return _unlinked(key, standard, title)
    announced = list(
        scope.workshops.filter(kind__in=ANNOUNCED_KINDS, announced_at__isnull=False).order_by(
            "starts_at", "id"
        )
    )
    drafts = list(
        scope.drafts.filter(kind__in=ANNOUNCED_KINDS, starts_at__gt=scope.now).order_by(
            "starts_at", "id"
        )
    )
    if not announced and not drafts:
        return _check(key, standard, title, NOT_APPLICABLE, _("No workshop announced yet."))
    today, warn = scope.today, scope.limits.warning_days
    evidence, warnings, state = [], [], MET
    short = 0
    for workshop in announced:
        ahead = (_day(workshop.starts_at) - _day(workshop.announced_at)).days
        late = ahead < days
        if late:
            short += 1
            state = NOT_MET
        text = (
            _workshop_label(workshop)
            + " · "
            + ngettext("announced %(days)d day ahead", "announced %(days)d days ahead", ahead)
            % {"days": ahead}
        )
        evidence.append(Evidence(text, workshop.get_absolute_url(), _day(workshop.starts_at), late))
    for workshop in drafts:
        publish_by = _day(workshop.starts_at) - timedelta(days=days)
        if (publish_by - today).days > warn:
            continue
        if publish_by < today:
            text = _(
                "%(workshop)s is not announced yet and can no longer be announced %(days)d days "
                "ahead."
            )
        else:
            text = _("Announce %(workshop)s by %(deadline)s to give %(days)d days' notice.")
        state = max(state, AT_RISK, key=_WORST.index)
        warnings.append(
            Warning(
                text
                % {
                    "workshop": _workshop_label(workshop),
                    "deadline": _date(publish_by),
                    "days": days,
                },
                publish_by,
                # where the secretariat announces it (the admin is the site administrator's)
                reverse("manage:workshop_manage", args=[scope.forum.slug, workshop.pk]),
            )
        )
    summary = _("%(n)d of %(total)d announced workshops were announced in time.") % {
        "n": len(announced) - short,
        "total": len(announced),
    }
    return _check(key, standard, title, state, summary, evidence, warnings)


def minutes_published(scope: Scope) -> Check:
    days = scope.limits.minutes_days
    key, standard = "minutes_published", "2"
    title = _("Minutes are published within %(days)d days of a workshop") % {"days": days}
    if not scope.linked:
        return _unlinked(key, standard, title)
    ended = list(
        scope.workshops.filter(ends_at__lt=scope.now)
        .select_related("minutes")
        .order_by("starts_at", "id")
    )
    if not ended:
        return _check(key, standard, title, NOT_APPLICABLE, _("No workshop has ended yet."))
    today = scope.today
    evidence, warnings, state = [], [], MET
    in_time = 0
    for workshop in ended:
        deadline = _day(workshop.ends_at) + timedelta(days=days)
        minutes = _one_to_one(workshop, "minutes")
        published = _day(minutes.published_at) if minutes and minutes.published_at else None
        url = reverse("cocreation:minutes", args=[workshop.pk])
        if published is not None and published <= deadline:
            in_time += 1
            text = _("%(workshop)s · minutes published %(date)s") % {
                "workshop": _workshop_label(workshop),
                "date": _date(published),
            }
            evidence.append(Evidence(text, url, published))
        elif published is not None:
            state = NOT_MET
            text = _("%(workshop)s · minutes published %(date)s, after %(deadline)s") % {
                "workshop": _workshop_label(workshop),
                "date": _date(published),
                "deadline": _date(deadline),
            }
            evidence.append(Evidence(text, url, published, True))
        elif deadline < today:
            state = NOT_MET
            text = _("%(workshop)s · no minutes published; they were due by %(deadline)s") % {
                "workshop": _workshop_label(workshop),
                "deadline": _date(deadline),
            }
            evidence.append(Evidence(text, url, deadline, True))
            warnings.append(Warning(text, deadline, url))
        else:
            state = max(state, AT_RISK, key=_WORST.index)
            warnings.append(
                Warning(
                    _("Publish the minutes of %(workshop)s by %(deadline)s.")
                    % {"workshop": _workshop_label(workshop), "deadline": _date(deadline)},
                    deadline,
                    url,
                )
            )
    summary = _("%(n)d of %(total)d workshops held have minutes published in time.") % {
        "n": in_time,
        "total": len(ended),
    }
    return _check(key, standard, title, state, summary, evidence, warnings)


# --- 5.1: implementation ---------------------------------------------------------------------


def milestone_evidence(scope: Scope) -> Check:
    key, standard = "milestone_evidence", "5.1"
    title = _("Every completed milestone has evidence")
    completed = list(
        Milestone.objects.filter(
            commitment__plan__in=scope.plans,
            commitment__status__in=Commitment.PUBLIC_STATUSES,
            completion=Milestone.Completion.COMPLETE,
        )
        .select_related("commitment__plan")
        .annotate(documents=Count("evidence"))
        .order_by("commitment__plan__period_start", "commitment__number", "position")
    )
    if not completed:
        return _check(key, standard, title, NOT_APPLICABLE, _("No milestone is complete yet."))
    evidence, warnings = [], []
    lacking = 0
    for milestone in completed:
        has = bool(milestone.evidence_url) or milestone.documents > 0
        commitment = milestone.commitment
        text = scope.name_plan(
            commitment.plan,
            _("%(commitment)s, milestone %(position)d: %(activity)s")
            % {
                "commitment": commitment,
                "position": milestone.position,
                "activity": _short(milestone.activity),
            },
        )
        url = commitment.get_absolute_url()
        if not has:
            lacking += 1
            text_missing = text + " · " + _("no evidence")
            evidence.append(Evidence(text_missing, url, milestone.completed_on, True))
            warnings.append(Warning(_("Add evidence: %(m)s") % {"m": text}, None, url))
        else:
            evidence.append(Evidence(text, url, milestone.completed_on))
    summary = _("%(n)d of %(total)d completed milestones have evidence.") % {
        "n": len(completed) - lacking,
        "total": len(completed),
    }
    return _check(key, standard, title, NOT_MET if lacking else MET, summary, evidence, warnings)


def implementation_meetings(scope: Scope) -> Check:
    needed = scope.limits.implementation_meetings_per_year
    key, standard = "implementation_meetings", "5.1"
    title = ngettext(
        "At least %(n)d implementation meeting a year",
        "At least %(n)d implementation meetings a year",
        needed,
    ) % {"n": needed}
    plans = [p for p in scope.plans if p.status in IMPLEMENTING and p.process_id]
    if not plans and scope.plan is not None and scope.plan.status not in IMPLEMENTING:
        return _check(
            key, standard, title, NOT_APPLICABLE, _("This plan is not in implementation yet.")
        )
    if not plans:
        return _check(
            key,
            standard,
            title,
            NOT_APPLICABLE,
            _("No plan linked to a process is in implementation."),
        )
    meetings = defaultdict(list)
    for workshop in Workshop.objects.filter(
        process_id__in=[p.process_id for p in plans],
        process__forum=scope.forum,
        kind=Workshop.Kind.IMPLEMENTATION_REVIEW,
    ).exclude(status__in=[Workshop.Status.DRAFT, Workshop.Status.CANCELLED]):
        meetings[workshop.process_id].append(workshop)
    reviews = [p for p in scope.past if p.kind == Workshop.Kind.IMPLEMENTATION_REVIEW]
    today, warn = scope.today, scope.limits.warning_days
    evidence, warnings, state = [], [], MET
    for plan in plans:
        for start, end, needed_here in _years(plan, today, needed):
            inside = [m for m in meetings[plan.process_id] if start <= _day(m.starts_at) < end]
            recorded = sum(start <= p.held_on < end and p.held_on <= today for p in reviews)
            held = sum(m.starts_at <= scope.now for m in inside)
            scheduled = len(inside) - held
            held += recorded
            over = end <= today or plan.status == ActionPlan.Status.COMPLETED
            text = _("%(start)s to %(end)s: %(held)d held, %(scheduled)d scheduled") % {
                "start": _date(start),
                "end": _date(end - timedelta(days=1)),
                "held": held,
                "scheduled": scheduled,
            }
            if recorded:
                text += " · " + ngettext(
                    "%(n)d of them held outside the portal, recorded by the secretariat",
                    "%(n)d of them held outside the portal, recorded by the secretariat",
                    recorded,
                ) % {"n": recorded}
            text = scope.name_plan(plan, text)
            problem = False
            if over and held < needed_here:
                state, problem = NOT_MET, True
            elif not over and held + scheduled < needed_here:
                last_day = end - timedelta(days=1)
                half_gone = (today - start) * 2 >= (end - start)
                if half_gone or (last_day - today).days <= warn:
                    state, problem = max(state, AT_RISK, key=_WORST.index), True
                    warnings.append(
                        Warning(
                            scope.name_plan(
                                plan,
                                ngettext(
                                    "Hold %(n)d more implementation meeting by %(deadline)s.",
                                    "Hold %(n)d more implementation meetings by %(deadline)s.",
                                    needed_here - held - scheduled,
                                )
                                % {
                                    "n": needed_here - held - scheduled,
                                    "deadline": _date(last_day),
                                },
                            ),
                            last_day,
                            plan.get_absolute_url(),
                        )
                    )
            evidence.append(Evidence(text, plan.get_absolute_url(), start, problem))
    summary = {
        MET: _("Enough implementation meetings in every year so far."),
        AT_RISK: _("The current year is short of implementation meetings."),
        NOT_MET: _("A year of implementation had too few meetings."),
    }[state]
    return _check(key, standard, title, state, summary, evidence, warnings)


def _years(plan: ActionPlan, today: date, needed: int):
    """The years of the plan's implementation that have begun by today: (first day, the day
    after the last, meetings needed). A last, shorter year needs its share, rounded up."""
    k = 0
    while True:
        begin, end = _add_years(plan.period_start, k), _add_years(plan.period_start, k + 1)
        if begin > min(today, plan.period_end):
            return
        end = min(end, plan.period_end + timedelta(days=1))
        share = (end - begin).days / 365
        yield begin, end, needed if share >= 1 else max(math.ceil(needed * share), 1)
        k += 1


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


CORE_VALUES = ["transparency", "civic_participation", "public_accountability"]


def commitments_verifiable(scope: Scope) -> Check:
    key, standard = "commitments_verifiable", "IRM"
    title = _("Every commitment is verifiable")
    commitments = list(
        Commitment.objects.filter(plan__in=scope.plans, status__in=Commitment.PUBLIC_STATUSES)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.only(
                    "commitment_id", "deliverable", "start_date", "end_date"
                ),
            )
        )
        .order_by("plan__period_start", "number")
    )
    if not commitments:
        return _check(key, standard, title, NOT_APPLICABLE, _("No public commitment yet."))
    evidence, warnings = [], []
    lacking = 0
    for commitment in commitments:
        reasons = []
        if not any(
            m.deliverable.strip() and m.start_date and m.end_date
            for m in commitment.milestones.all()
        ):
            reasons.append(_("no milestone with a deliverable and dates"))
        if not any(getattr(commitment, value) for value in CORE_VALUES):
            reasons.append(_("no core OGP value"))
        text = scope.name_plan(commitment.plan, str(commitment))
        url = commitment.get_absolute_url()
        if reasons:
            lacking += 1
            evidence.append(Evidence(text + " · " + "; ".join(reasons), url, None, True))
            warnings.append(Warning(text + ": " + "; ".join(reasons), None, url))
        else:
            evidence.append(Evidence(text, url))
    summary = _(
        "%(n)d of %(total)d commitments have a milestone with a deliverable and dates and at "
        "least one core OGP value (access to information, civic participation, public "
        "accountability)."
    ) % {"n": len(commitments) - lacking, "total": len(commitments)}
    return _check(key, standard, title, NOT_MET if lacking else MET, summary, evidence, warnings)


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def assessment_figures(scope: Scope) -> AssessmentFigures:
    """Civil society's assessment beside the lead agencies' reports, over the public
    milestones of the scope's plans (one query)."""
    counts = Milestone.objects.filter(
        commitment__plan__in=scope.plans, commitment__status__in=Commitment.PUBLIC_STATUSES
    ).aggregate(
        milestones=Count("pk"),
        reported=Count("pk", filter=Q(progress_reported_at__isnull=False)),
        assessed=Count("pk", filter=Q(civil_assessment__isnull=False)),
        both=Count("pk", filter=assessed_by_both()),
        differ=Count("pk", filter=assessments_differ()),
    )
    return AssessmentFigures(**counts)


CHECKS = [
    forum_meetings,
    groups_present,
    repository_updated,
    notice_given,
    minutes_published,
    reasoned_responses,
    implementation_meetings,
    milestone_evidence,
    commitments_verifiable,
]


def scope_of(
    forum: Forum,
    plan: ActionPlan | None = None,
    now: datetime | None = None,
    include_drafts: bool = False,
) -> Scope:
    """What a report on `forum` looks at: only its workshops (those of its co-creation
    processes), its forum meetings, its plans and their repositories, and its thresholds.
    For the forum as a whole: the workshops and updates of the last two years, and every plan
    of the forum. For one of its plans: the workshops of the plan's co-creation process, and
    the forum's meetings from a year before the plan's period (co-creation) to its end.
    Draft workshops (the ones to announce soon) only with `include_drafts`: the report of the
    forum's secretariat, never the public one."""
    if plan is not None and plan.forum_id != forum.pk:
        raise ValueError(f"The plan {plan.slug!r} belongs to another forum than {forum.slug!r}.")
    now = now or timezone.now()
    workshops = Workshop.objects.filter(process__forum=forum)
    held_or_announced = ~Q(status__in=[Workshop.Status.DRAFT, Workshop.Status.CANCELLED])
    meetings = Workshop.objects.filter(
        held_or_announced, process__forum=forum, kind=Workshop.Kind.FORUM_MEETING
    )
    past_meetings = Q(kind=Workshop.Kind.FORUM_MEETING)
    if plan is not None:
        workshops = workshops.filter(process_id=plan.process_id)
        plans = [plan]
        begins = _add_years(plan.period_start, -1)
        meetings = meetings.filter(
            starts_at__date__gte=begins, starts_at__date__lte=plan.period_end
        )
        past_meetings &= Q(held_on__gte=begins, held_on__lte=plan.period_end)
        open_ended = (
            plan.status != ActionPlan.Status.COMPLETED
            and timezone.localdate(now) <= plan.period_end
        )
    else:
        since = now - timedelta(days=FORUM_HISTORY_DAYS)
        workshops = workshops.filter(starts_at__gte=since)
        meetings = meetings.filter(starts_at__gte=since)
        past_meetings &= Q(held_on__gte=timezone.localdate(since))
        plans = list(ActionPlan.objects.filter(forum=forum).order_by("period_start", "id"))
        open_ended = True
    return Scope(
        forum=forum,
        plan=plan,
        plans=plans,
        workshops=workshops.filter(held_or_announced),
        drafts=(
            workshops.filter(status=Workshop.Status.DRAFT)
            if include_drafts
            else Workshop.objects.none()
        ),
        meetings=meetings,
        past=list(
            PastMeeting.objects.filter(
                past_meetings | Q(kind=Workshop.Kind.IMPLEMENTATION_REVIEW), forum=forum
            ).order_by("held_on", "id")
        ),
        open_ended=open_ended,
        now=now,
        limits=HealthThresholds.of(forum),
    )


def health_report(
    *,
    forum: Forum,
    plan: ActionPlan | None = None,
    now: datetime | None = None,
    include_drafts: bool = False,
    all_evidence: bool = False,
) -> HealthReport:
    """`forum`'s health (the whole forum, or one of its action plans'), as of `now`. A plan's
    report is its own forum's: `forum` must be `plan.forum`. The report is public: it reads
    only published and held workshops, unless `include_drafts` (for the forum's secretariat:
    its warnings then name the drafts that must be announced soon). Each check lists at most
    EVIDENCE_SHOWN items of evidence, or every one with `all_evidence`."""
    scope = scope_of(forum, plan, now=now, include_drafts=include_drafts)
    token = _evidence_shown.set(None if all_evidence else EVIDENCE_SHOWN)
    try:
        checks = [check(scope) for check in CHECKS]
    finally:
        _evidence_shown.reset(token)
    return HealthReport(
        forum=forum,
        plan=plan,
        checks=checks,
        generated_at=scope.now,
        limits=scope.limits,
        plans=scope.plans,
        assessments=assessment_figures(scope),
    )
