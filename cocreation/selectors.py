import contextlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreation import notices
from cocreation.filters import WorkshopFilter
from cocreation.models import (
    AbuseReport,
    CalendarFeed,
    CoCreationProcess,
    Comment,
    Contribution,
    PastMeeting,
    ReasonedResponse,
    Registration,
    Support,
    Theme,
    Workshop,
)
from cocreation.seat_pass import seat_code_normalise
from core.counts import related_count
from core.notifications.models import Notification
from core.notifications.selectors import custom_texts_exist
from core.personal_data import rows
from members.models import MembershipStatus, StakeholderGroup
from members.permissions import forums_run
from members.selectors import stakeholder_group_of
from members.voices import small_groups_rule, voices_summary

CONFIRMED = Registration.Status.CONFIRMED


def _with_seat_counts(queryset):
    return queryset.annotate(
        government_taken=related_count(
            Registration,
            "workshop",
            status=CONFIRMED,
            seat_group=StakeholderGroup.GOVERNMENT,
        ),
        non_government_taken=related_count(
            Registration,
            "workshop",
            status=CONFIRMED,
            seat_group=StakeholderGroup.NON_GOVERNMENT,
        ),
    )


def seats_free(workshop) -> dict[str, int]:
    """Free seats per stakeholder group, from the annotations of workshop_list/detail."""
    return {
        StakeholderGroup.GOVERNMENT: max(workshop.government_quota - workshop.government_taken, 0),
        StakeholderGroup.NON_GOVERNMENT: max(
            workshop.non_government_quota - workshop.non_government_taken, 0
        ),
    }


def workshops_visible_to(user):
    """The workshops whose page `user` may open (views.workshop_detail): every one but the
    drafts, and the drafts of the forums whose secretariat they are."""
    run = forums_run(user)
    if run is None:
        return Workshop.objects.all()
    return Workshop.objects.filter(~Q(status=Workshop.Status.DRAFT) | Q(process__forum_id__in=run))


def contributions_visible_to(user):
    """The contributions `user` may find (search): on the board of a workshop that is not a
    draft, the published ones not merged into another (whose own entry says it); every one,
    waiting, hidden or merged, to those who moderate the workshop (permissions.can_moderate:
    its facilitators and its forum's secretariat), who see them on the board."""
    contributions = Contribution.objects.exclude(workshop__status=Workshop.Status.DRAFT)
    run = forums_run(user)
    if run is None:
        return contributions
    moderated = Q(workshop__process__forum_id__in=run)
    if user.is_authenticated:
        moderated |= Q(workshop__in=Workshop.objects.filter(facilitators=user).values("pk"))
    public = Q(status=Contribution.Status.PUBLISHED, merged_into__isnull=True)
    return contributions.filter(public | moderated)


def responses_visible_to(user):
    """The reasoned responses `user` may find: those of the contributions they may find
    (a response is shown on the board under its contribution)."""
    return ReasonedResponse.objects.filter(
        contribution__in=contributions_visible_to(user).values("pk")
    )


def workshop_list(*, filters, viewer, forum=None):
    """The public workshops (of every forum, or of `forum`), filtered by the query string."""
    queryset = Workshop.objects.exclude(status=Workshop.Status.DRAFT)
    if forum is not None:
        queryset = queryset.filter(process__forum=forum)
    # Upcoming workshops first, the soonest first; past ones after, the latest first.
    # (order_by also because the aggregation drops Meta.ordering.)
    now = timezone.now()
    queryset = _with_seat_counts(
        queryset.select_related("process__forum", "theme")
        .annotate(
            is_past=Case(When(ends_at__lt=now, then=1), default=0, output_field=IntegerField()),
            upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at"))),
        )
        .order_by("is_past", F("upcoming_start").asc(nulls_last=True), "-starts_at", "id")
    )
    return WorkshopFilter(filters, queryset=queryset, request_user=viewer, forum=forum)


def upcoming_workshops_by_forum(*, forums, per_forum: int = 3) -> dict[int, list]:
    """The next `per_forum` public workshops of each of `forums`, as {forum id: [workshop]}:
    one query however many forums (a window ranks each forum's workshops)."""
    ranked = (
        Workshop.objects.filter(
            process__forum__in=forums,
            status=Workshop.Status.PUBLISHED,
            ends_at__gte=timezone.now(),
        )
        .annotate(
            forum_id=F("process__forum_id"),
            rank=Window(
                RowNumber(),
                partition_by=F("process__forum_id"),
                order_by=[F("starts_at").asc(), F("id").asc()],
            ),
        )
        .filter(rank__lte=per_forum)
        .order_by("starts_at", "id")
    )
    by_forum: dict[int, list] = {}
    for workshop in ranked:
        by_forum.setdefault(workshop.forum_id, []).append(workshop)
    return by_forum


def upcoming_with_fill(*, forum, limit: int = 10):
    """The forum's next workshops (published, not yet over) with their seats taken per
    group and their waiting list, soonest first: the back office's overview."""
    return (
        _with_seat_counts(
            Workshop.objects.filter(
                process__forum=forum,
                status=Workshop.Status.PUBLISHED,
                ends_at__gte=timezone.now(),
            )
        )
        .annotate(
            waiting_n=related_count(Registration, "workshop", status=Registration.Status.WAITING)
        )
        .select_related("process")
        .order_by("starts_at", "id")[:limit]
    )


def facilitated_by(*, member, forum):
    """The workshops of `forum` that `member` facilitates and that are not over yet."""
    return (
        Workshop.objects.filter(
            process__forum=forum, facilitators=member, ends_at__gte=timezone.now()
        )
        .exclude(status=Workshop.Status.CANCELLED)
        .order_by("starts_at", "id")
    )


def forum_processes(*, forum):
    """`forum`'s co-creation processes, newest first, with their number of workshops."""
    return (
        CoCreationProcess.objects.filter(forum=forum)
        .annotate(workshops_n=Count("workshops"))
        .order_by("-created_at", "-id")
    )


def forum_workshops(*, forum):
    """Every workshop of `forum`, drafts included, the latest first (for its secretariat)."""
    return (
        Workshop.objects.filter(process__forum=forum)
        .select_related("process")
        .order_by("-starts_at", "-id")
    )


def forum_processes_with_themes(*, forum):
    """`forum`'s processes, newest first, with their themes and number of workshops (for
    the back office)."""
    return forum_processes(forum=forum).prefetch_related(
        Prefetch(
            "themes", queryset=Theme.objects.annotate(workshops_n=related_count(Workshop, "theme"))
        )
    )


def forum_workshops_search(*, forum, search: str = "", status: str = ""):
    """`forum`'s workshops for its back office, the latest first: those whose title holds
    `search`, of `status` if given, with their process and theme and seats taken."""
    workshops = _with_seat_counts(forum_workshops(forum=forum)).select_related("theme")
    if search:
        workshops = workshops.filter(title__icontains=search)
    if status:
        workshops = workshops.filter(status=status)
    return workshops


def forum_audience(*, forum):
    """The forum's members, whom its announcements reach: approved, active members who sit
    on its body (in any term), run it (secretariat, facilitators), facilitated or registered
    for one of its workshops. (Members are portal-wide; these are the ones it concerns.)"""
    User = apps.get_model("members", "User")
    people = User.objects.filter(
        Q(forum_seats__forum=forum)
        | Q(forum_roles__forum=forum)
        | Q(facilitated_workshops__process__forum=forum)
        | Q(workshop_registrations__workshop__process__forum=forum),
        is_active=True,
        membership_status=MembershipStatus.APPROVED,
    )
    # distinct through a subquery, so callers may order and slice it freely
    return User.objects.filter(pk__in=people.values("pk")).order_by("pk")


def announcement_pending(*, workshop):
    """The forum's members not yet told of `workshop` (its announcement is sent once)."""
    told = Notification.objects.filter(
        kind="workshop_announced",
        about_type=ContentType.objects.get_for_model(Workshop),
        about_id=str(workshop.pk),
    ).values("recipient_id")
    return forum_audience(forum=workshop.process.forum).exclude(pk__in=told)


def workshop_managed(*, forum, pk: int):
    """A workshop of `forum` with what its back-office page shows; DoesNotExist for another
    forum's."""
    return (
        _with_seat_counts(Workshop.objects.filter(process__forum=forum))
        .select_related("process", "theme")
        .prefetch_related("facilitating_organisations", "facilitators", "attachments")
        .annotate(registrations_n=related_count(Registration, "workshop"))
        .get(pk=pk)
    )


def past_meetings_search(*, forum, search: str = "", kind: str = ""):
    """The meetings `forum` held outside the portal, for its back office, the latest first:
    those whose title holds `search`, of `kind` if given."""
    meetings = PastMeeting.objects.filter(forum=forum).order_by("-held_on", "-pk")
    if search:
        meetings = meetings.filter(title__icontains=search)
    if kind:
        meetings = meetings.filter(kind=kind)
    return meetings


def past_meeting_managed(*, forum, pk: int) -> PastMeeting:
    """A past meeting of `forum` for its back office; DoesNotExist for another forum's."""
    return PastMeeting.objects.select_related("forum").get(forum=forum, pk=pk)


def workshop_detail(*, pk: int, drafts: bool = False):
    """A workshop with what its page shows; drafts only when asked (for whoever may see
    them: its forum's secretariat)."""
    workshops = Workshop.objects.all()
    if not drafts:
        workshops = workshops.exclude(status=Workshop.Status.DRAFT)
    return (
        _with_seat_counts(workshops)
        .select_related("process", "theme")
        .prefetch_related("facilitating_organisations", "facilitators", "attachments")
        .get(pk=pk)
    )


def registration_of(*, workshop, member):
    if not member.is_authenticated:
        return None
    return (
        Registration.objects.filter(workshop=workshop, member=member)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def calendar_workshops_of(*, member):
    """The workshops in a member's feed: where they hold a seat or wait, cancelled ones
    included so that calendars remove them."""
    return (
        Workshop.objects.filter(
            registrations__member=member,
            registrations__status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
        )
        .exclude(status=Workshop.Status.DRAFT)
        .annotate(
            seated=Count(
                "registrations",
                filter=Q(registrations__member=member, registrations__status=CONFIRMED),
            ),
            # the seat's code, for the link to its QR code in the entry
            seat_code=Subquery(
                Registration.objects.filter(
                    workshop=OuterRef("pk"), member=member, status=CONFIRMED
                ).values("seat_code")[:1]
            ),
        )
        .order_by("starts_at")
    )


def _public_commitments():
    """The commitments a contribution fed, as `contribution.public_commitments` (the
    actionplans app is looked up by name: it depends on this app, not the other way)."""

    Commitment = apps.get_model("actionplans", "Commitment")
    return Prefetch(
        "commitments",
        queryset=Commitment.objects.filter(status__in=Commitment.PUBLIC_STATUSES)
        .select_related("plan")
        .order_by("plan", "number"),
        to_attr="public_commitments",
    )


def board_contributions(*, workshop, viewer, moderator: bool):
    """The contribution board: published ones for everyone; all of them for moderators."""

    queryset = Contribution.objects.filter(workshop=workshop)
    if not moderator:
        queryset = queryset.filter(status=Contribution.Status.PUBLISHED)
    supported = (
        Exists(Support.objects.filter(contribution=OuterRef("pk"), member=viewer))
        if viewer.is_authenticated
        else Q(pk__in=[])
    )
    return (
        queryset.select_related("author", "organisation", "response", "merged_into")
        .prefetch_related(
            "tags",
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            _public_commitments(),
        )
        .annotate(
            support_count=related_count(Support, "contribution"),
            open_reports=related_count(AbuseReport, "contribution", resolved_at__isnull=True),
            supported_by_me=supported,
        )
        .order_by("-created_at", "-id")
    )


def board_texts(contributions) -> list:
    """What members wrote on one page of the board, as loaded by `board_contributions`:
    the contributions, their comments and their reasoned responses (for machine
    translation, core/translation/)."""
    texts = []
    for contribution in contributions:
        texts.append(contribution)
        texts.extend(contribution.comments.all())
        with contextlib.suppress(ObjectDoesNotExist):
            texts.append(contribution.response)
    return texts


# Contributions per page of the board: a workshop of a few hundred contributions stays as
# quick to open as one of twenty (benchmarks/pages.py, the 10x data set).
BOARD_PAGE_SIZE = 50


def merge_targets(*, workshop) -> list:
    """The published contributions of `workshop` a duplicate can be merged into, by title."""
    return list(
        Contribution.objects.filter(workshop=workshop, status=Contribution.Status.PUBLISHED)
        .order_by("title", "pk")
        .only("pk", "title")
    )


def board_page_of(*, contribution, viewer, moderator: bool) -> int:
    """The page of the board (newest first) on which `contribution` appears to `viewer`."""

    newer = Contribution.objects.filter(workshop_id=contribution.workshop_id).filter(
        Q(created_at__gt=contribution.created_at)
        | Q(created_at=contribution.created_at, pk__gt=contribution.pk)
    )
    if not moderator:
        newer = newer.filter(status=Contribution.Status.PUBLISHED)
    return newer.count() // BOARD_PAGE_SIZE + 1


def response_tally(*, workshop) -> dict:
    published = Contribution.objects.filter(workshop=workshop, status=Contribution.Status.PUBLISHED)
    return {
        "published": published.count(),
        "answered": published.filter(response__isnull=False).count(),
    }


def attendance(*, workshop) -> dict:
    """Who came, by stakeholder group, and who agreed to be named in the minutes."""
    attended = workshop.registrations.filter(
        status=Registration.Status.CONFIRMED, attendance=Registration.Attendance.ATTENDED
    ).select_related("member", "organisation")
    counts = dict(
        attended.values_list("stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("stakeholder_group", "n")
    )
    # those who came without an account count too, in their group
    for group, n in (
        workshop.walk_ins.values_list("stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("stakeholder_group", "n")
    ):
        counts[group] = counts.get(group, 0) + n
    return {
        "by_group": [
            {"label": label, "count": counts.get(value, 0)}
            for value, label in StakeholderGroup.choices
        ],
        # Each named with the organisation they came for (their place's, kept as it was).
        "named": [
            _attended_for(r) for r in attended.order_by("member__full_name") if r.agrees_to_be_named
        ],
        "total": sum(counts.values()),
    }


def _attended_for(registration):
    member = registration.member
    member.attended_for = registration.organisation
    return member


def moderation_queue(*, viewer):
    """Contributions waiting for a moderator: not yet published, or reported and not yet
    dealt with, in the workshops the viewer facilitates and those of the forums whose
    secretariat they are."""

    reported = Exists(
        AbuseReport.objects.filter(contribution=OuterRef("pk"), resolved_at__isnull=True)
    )
    queryset = Contribution.objects.filter(Q(status=Contribution.Status.SUBMITTED) | reported)
    run = forums_run(viewer)
    if run is not None:
        queryset = queryset.filter(
            Q(workshop__facilitators=viewer) | Q(workshop__process__forum_id__in=run)
        )
    return (
        queryset.select_related("workshop", "author")
        .annotate(
            open_reports=Count(
                "reports", filter=Q(reports__resolved_at__isnull=True), distinct=True
            )
        )
        .distinct()
        .order_by("created_at", "id")
    )


def personal_data_of(*, member) -> dict:
    """What co-creation holds on `member`, for "download my data"."""
    return {
        "workshop_registrations": rows(
            Registration.objects.filter(member=member),
            "workshop__title",
            "status",
            "attendance",
            "checked_in_at",
            "accessibility_needs",
            "agrees_to_be_named",
            "created_at",
            "cancelled_at",
        ),
        "contributions": rows(
            Contribution.objects.filter(author=member),
            "workshop__title",
            "kind",
            "title",
            "text",
            "status",
            "created_at",
        ),
        "comments": rows(
            Comment.objects.filter(author=member), "contribution__title", "text", "created_at"
        ),
        "supports": rows(
            Support.objects.filter(member=member), "contribution__title", "created_at"
        ),
        "abuse_reports": rows(
            AbuseReport.objects.filter(reporter=member),
            "contribution__title",
            "reason",
            "created_at",
        ),
        "workshops_facilitated": rows(member.facilitated_workshops.all(), "title", "starts_at"),
        "has_calendar_feed": CalendarFeed.objects.filter(member=member).exists(),
    }


def my_workshops(*, member):
    """The workshops `member` holds a seat or a waiting place for, soonest first."""
    return (
        Registration.objects.filter(member=member)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("workshop")
        .order_by("workshop__starts_at")
    )


CHECK_IN_SEARCH_LIMIT = 8


def check_in_search(*, workshop, text: str) -> list[Registration]:
    """The places in `workshop` whose member's name holds `text` (at least two characters),
    or whose seat code it is: what the check-in page's search box shows as one types.
    Cancelled seats only by their exact code."""
    text = str(text or "").strip()[:200]
    if len(text) < 2:
        return []
    places = Registration.objects.filter(workshop=workshop).select_related(
        "member", "organisation", "workshop"
    )
    by_name = Q(member__full_name__icontains=text) & ~Q(status=Registration.Status.CANCELLED)
    if seat_code_normalise(text) and len(seat_code_normalise(text)) == 6:
        by_name |= Q(seat_code=seat_code_normalise(text))
    return list(places.filter(by_name).order_by("member__full_name", "id")[:CHECK_IN_SEARCH_LIMIT])


def my_contributions(*, member):
    return (
        Contribution.objects.filter(author=member)
        .select_related("workshop", "response")
        .order_by("-created_at")
    )


def organisation_activity(*, organisation) -> dict:
    """How many workshops members attended for the organisation, and the contributions
    published for it (each counted for the organisation its member had at the time)."""
    return {
        "workshops_attended": Registration.objects.filter(
            organisation=organisation, attendance=Registration.Attendance.ATTENDED
        )
        .values("workshop")
        .distinct()
        .count(),
        "contributions": Contribution.objects.filter(
            organisation=organisation, status=Contribution.Status.PUBLISHED
        ).count(),
    }


@dataclass(frozen=True)
class RegistrationFacts:
    """What registering `member` for a workshop needs to know about them, read before the
    workshop's lock (see registration_facts)."""

    facilitates: bool  # they run the workshop, and so take no seat
    registered: bool  # they hold a place (a seat or a waiting place) already
    first_time: bool  # they attended no workshop that started before this one
    group: str | None  # their organisation's stakeholder group
    custom_texts: bool  # the secretariat wrote its own text of a registration's notices


def registration_facts(*, workshop, member, language: str) -> RegistrationFacts:
    """Everything a registration reads about `member` before the lock, in one query instead
    of five: the registration storm (benchmarks/storm.py) pays each query at 100 a second.
    `language`: the member's, in which they are told."""
    mine = OuterRef("pk")
    facilitates, registered, attended, group, custom_texts = (
        get_user_model()
        .objects.filter(pk=member.pk)
        .values_list(
            Exists(
                Workshop.facilitators.through.objects.filter(workshop_id=workshop.pk, user_id=mine)
            ),
            Exists(
                Registration.objects.filter(workshop_id=workshop.pk, member_id=mine).exclude(
                    status=Registration.Status.CANCELLED
                )
            ),
            Exists(
                Registration.objects.filter(
                    member_id=mine,
                    attendance=Registration.Attendance.ATTENDED,
                    workshop__starts_at__lt=workshop.starts_at,
                )
            ),
            "organisation__sector__stakeholder_group",
            custom_texts_exist(kinds=notices.REGISTRATION_KINDS, language=language),
        )
        .get()
    )
    return RegistrationFacts(
        facilitates=facilitates,
        registered=registered,
        first_time=not attended,
        group=group,
        custom_texts=custom_texts,
    )


def seat_prospect(*, workshop, member) -> dict | None:
    """What registering now would give `member` (who holds no place yet): a seat of which
    group's quota, or else their number on its waiting list. `workshop` comes from
    workshop_detail (with its seat counts). None for someone in no stakeholder group."""
    group = stakeholder_group_of(member)
    if group is None:
        return None
    free = seats_free(workshop)
    release_at = workshop.quota_release_at()
    released = release_at is not None and timezone.now() >= release_at
    available = free[group]
    if released:
        available = sum(free.values())  # free seats of either group go to whoever waits
    elif workshop.first_time_seats_of(group):
        kept_taken = Registration.objects.filter(
            workshop=workshop, status=CONFIRMED, seat_group=group, first_time=True
        ).count()
        kept_left = max(workshop.first_time_seats_of(group) - kept_taken, 0)
        been_before = Registration.objects.filter(
            member=member,
            attendance=Registration.Attendance.ATTENDED,
            workshop__starts_at__lt=workshop.starts_at,
        ).exists()
        if been_before:
            available = max(available - kept_left, 0)
    waiting = Registration.objects.filter(
        workshop=workshop, status=Registration.Status.WAITING, stakeholder_group=group
    ).count()
    return {
        "group": group,
        "group_label": StakeholderGroup(group).label,
        "free": available,
        "full": available == 0,
        "position": waiting + 1,
    }


# --- The back office: a workshop's registrants ------------------------------------------

STATUS_ORDER = [Registration.Status.CONFIRMED, Registration.Status.WAITING, "cancelled"]


def registrants(*, workshop, search: str = "", group: str = "", status: str = ""):
    """The workshop's registrations for its secretariat: seats first, then the waiting lists
    in their order (each person's number on their group's list read in the same query), then
    cancellations; by name, organisation or e-mail with `search`."""
    earlier = (
        Registration.objects.filter(
            workshop_id=OuterRef("workshop_id"),
            status=Registration.Status.WAITING,
            stakeholder_group=OuterRef("stakeholder_group"),
            id__lt=OuterRef("id"),
        )
        .order_by()
        .values("workshop_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Registration.objects.filter(workshop=workshop)
    if search:
        queryset = queryset.filter(
            Q(member__full_name__icontains=search)
            | Q(member__email__icontains=search)
            | Q(organisation__name__icontains=search)
        )
    if group:
        queryset = queryset.filter(stakeholder_group=group)
    if status == "checked_in":
        queryset = queryset.filter(attendance=Registration.Attendance.ATTENDED)
    elif status:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("member", "organisation")
        .annotate(
            status_rank=Case(
                *[When(status=value, then=Value(rank)) for rank, value in enumerate(STATUS_ORDER)],
                output_field=IntegerField(),
            ),
            position=Case(
                When(
                    status=Registration.Status.WAITING,
                    then=Coalesce(Subquery(earlier, output_field=IntegerField()), 0) + 1,
                ),
                output_field=IntegerField(),
            ),
        )
        .order_by("status_rank", "stakeholder_group", "id")
    )


def registrant_counts(*, workshop) -> list[dict]:
    """For each stakeholder group: its quota, seats taken, people waiting, cancellations and
    people checked in, in one query."""
    counts: dict[tuple[str, str], int] = {}
    checked_in: dict[str, int] = {}
    for group, status, attendance, n in (
        Registration.objects.filter(workshop=workshop)
        .order_by()
        .values_list("stakeholder_group", "status", "attendance")
        .annotate(n=Count("pk"))
    ):
        counts[group, status] = counts.get((group, status), 0) + n
        if status == CONFIRMED and attendance == Registration.Attendance.ATTENDED:
            checked_in[group] = checked_in.get(group, 0) + n
    return [
        {
            "group": value,
            "label": label,
            "quota": workshop.quota(value),
            "confirmed": counts.get((value, CONFIRMED), 0),
            "waiting": counts.get((value, Registration.Status.WAITING), 0),
            "cancelled": counts.get((value, Registration.Status.CANCELLED), 0),
            "checked_in": checked_in.get(value, 0),
        }
        for value, label in StakeholderGroup.choices
    ]


def workshop_participation_summary(*, workshop) -> dict:
    """The participation summary of `workshop` for its forum's secretariat, in aggregate only
    (members.voices' small-group rule on every figure): the people with a confirmed seat
    (checked in or not) by self-described gender, first-time participants (who attended no
    workshop that started before this one) and new organisations (none of whose members
    did). Walk-ins without an account are not counted. Two queries."""
    seats = Registration.objects.filter(workshop=workshop, status=Registration.Status.CONFIRMED)
    earlier = Registration.objects.filter(
        attendance=Registration.Attendance.ATTENDED, workshop__starts_at__lt=workshop.starts_at
    )
    figures = seats.aggregate(
        people=Count("id"),
        first_time=Count("id", filter=~Exists(earlier.filter(member_id=OuterRef("member_id")))),
        organisations=Count("organisation", distinct=True),
        new_organisations=Count(
            "organisation",
            distinct=True,
            filter=~Exists(earlier.filter(organisation_id=OuterRef("organisation_id"))),
        ),
    )
    people, first_time = figures["people"], figures["first_time"]
    organisations, new = figures["organisations"], figures["new_organisations"]
    return {
        "people": people,
        "voices": voices_summary(get_user_model().objects.filter(pk__in=seats.values("member_id"))),
        "newcomers": small_groups_rule(
            [
                ("first_time", _("First-time participants"), first_time),
                (
                    "returning",
                    _("Participants who attended an earlier workshop"),
                    people - first_time,
                ),
            ]
        ),
        "new_organisations": small_groups_rule(
            [
                ("new", _("Organisations at their first workshop"), new),
                ("returning", _("Organisations that took part before"), organisations - new),
            ]
        ),
    }
