from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django_countries import countries
from rest_framework.authtoken.models import Token

from core.audit.models import AuditEntry
from core.personal_data import rows
from members.filters import OrganisationFilter
from members.models import (
    Forum,
    ForumRole,
    ForumSeat,
    Invitation,
    MembershipStatus,
    Organisation,
    OrganisationChange,
    Sector,
    StakeholderGroup,
    User,
    email_is,
)
from members.permissions import can_see_unverified_organisations, forums_run
from members.sections import forum_participant_querysets, organisation_facts
from members.voices import voices_summary

# The home page's counts aggregate every member and organisation: computed at most once a
# minute (in Redis in production, so for every gunicorn worker), not on every visit.
GLANCE_CACHE_KEY = "home:forum_at_a_glance"
GLANCE_CACHE_SECONDS = 60


def forum_at_a_glance() -> dict:
    """Counts for the home page: members, organisations, countries, per stakeholder group,
    at most a minute old."""
    counts = cache.get_or_set(GLANCE_CACHE_KEY, _glance_counts, GLANCE_CACHE_SECONDS)
    groups = [
        {
            "label": label,
            "organisations": counts["organisations_by_group"].get(value, 0),
            "members": counts["members_by_group"].get(value, 0),
        }
        for value, label in StakeholderGroup.choices
    ]
    return {
        "members": counts["members"],
        "organisations": sum(counts["organisations_by_group"].values()),
        "countries": counts["countries"],
        "groups": groups,
    }


def _glance_counts() -> dict:
    # Proposed organisations wait for the secretariat: only verified ones count.
    verified = organisations_visible_to(None)
    organisations_by_group = dict(
        verified.values_list("sector__stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("sector__stakeholder_group", "n")
    )
    approved = User.objects.filter(is_active=True, membership_status=MembershipStatus.APPROVED)
    members_by_group = dict(
        approved.filter(organisation__isnull=False)
        .values_list("organisation__sector__stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("organisation__sector__stakeholder_group", "n")
    )
    return {
        "members": approved.count(),
        "organisations_by_group": organisations_by_group,
        "members_by_group": members_by_group,
        "countries": verified.values("country").distinct().count(),
    }


def membership_queue():
    """Members waiting for a decision, oldest first."""
    return (
        User.objects.filter(
            is_active=True,
            membership_status__in=[
                MembershipStatus.PENDING,
                MembershipStatus.INFORMATION_REQUESTED,
            ],
        )
        .select_related("organisation__sector")
        .order_by("date_joined", "id")
    )


def organisations_visible_to(viewer):
    """The organisations `viewer` (a user, anonymous, or None) may see anywhere: verified
    ones; a proposed one (not verified yet) only to its proposer (a member of it) and to the
    secretariat, until the secretariat verifies it. The directory, the organisation pages,
    the API, the sign-up and profile forms and every choice of an organisation ask here."""
    organisations = Organisation.objects.all()
    if viewer is not None and viewer.is_authenticated:
        if can_see_unverified_organisations(viewer):
            return organisations
        if viewer.organisation_id is not None:
            return organisations.filter(Q(verified=True) | Q(pk=viewer.organisation_id))
    return organisations.filter(verified=True)


def organisation_directory(*, filters, viewer=None):
    queryset = (
        organisations_visible_to(viewer)
        .select_related("sector")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name", "id")
    )
    return OrganisationFilter(filters, queryset=queryset)


def organisation_profile(*, pk: int, viewer=None) -> dict:
    """An organisation with its approved members and its activity in the forum (the facts
    the apps above register); Organisation.DoesNotExist when `viewer` may not see it."""
    organisation = organisations_visible_to(viewer).select_related("sector").get(pk=pk)
    members = organisation.members.filter(
        is_active=True, membership_status=MembershipStatus.APPROVED
    ).order_by("full_name")
    return {
        "organisation": organisation,
        "members": members,
        "facts": organisation_facts(organisation),
    }


def forum_participants(forum):
    """The approved members who take part in `forum`: a seat on its body in force today, or
    what the apps above count (members.sections: a confirmed seat in one of its workshops)."""

    today = timezone.localdate()
    seated = (
        ForumSeat.objects.filter(forum=forum, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .values("member_id")
    )
    taking_part = Q(pk__in=seated)
    for member_ids in forum_participant_querysets(forum):
        taking_part |= Q(pk__in=member_ids)
    return User.objects.filter(
        taking_part, is_active=True, membership_status=MembershipStatus.APPROVED
    )


def forum_composition(forum=None) -> dict:
    """Approved members and organisations by stakeholder group, sector and country, and the
    members by self-described gender (in aggregate: members.voices): of the whole portal, or
    of the people taking part in `forum` (`forum_participants`) and their organisations. The
    same queries either way, however many members."""

    participants = None if forum is None else forum_participants(forum)

    def members_q(path: str) -> Q:
        if participants is None:
            return Q(**{f"{path}__is_active": True}) & Q(
                **{f"{path}__membership_status": MembershipStatus.APPROVED}
            )
        return Q(**{f"{path}__in": participants})

    sectors = list(
        Sector.objects.annotate(
            organisations_n=Count(
                "organisations",
                filter=Q(organisations__verified=True)
                & (Q() if participants is None else members_q("organisations__members")),
                distinct=True,
            ),
            members_n=Count(
                "organisations__members", filter=members_q("organisations__members"), distinct=True
            ),
        ).order_by("stakeholder_group", "position", "name")
    )
    organisations = organisations_visible_to(None)
    if participants is not None:
        organisations = organisations.filter(members_q("members"))
    by_country = list(
        organisations.values("country")
        .annotate(
            organisations_n=Count("id", distinct=True),
            members_n=Count("members", filter=members_q("members"), distinct=True),
        )
        .order_by("-members_n", "country")
    )
    for row in by_country:
        row["name"] = dict(countries).get(row["country"], row["country"])
    groups = []
    for value, label in StakeholderGroup.choices:
        in_group = [sector for sector in sectors if sector.stakeholder_group == value]
        groups.append(
            {
                "label": label,
                "organisations_n": sum(s.organisations_n for s in in_group),
                "members_n": sum(s.members_n for s in in_group),
            }
        )
    people = (
        User.objects.filter(is_active=True, membership_status=MembershipStatus.APPROVED)
        if participants is None
        else participants
    )
    return {
        "groups": groups,
        # Self-described gender, in aggregate only, with the small-group rule: the same
        # people as the stakeholder groups (members of an organisation), one query.
        "voices": voices_summary(people.filter(organisation__isnull=False)),
        "sectors": sectors,
        "countries": by_country,
        "max_members": max([g["members_n"] for g in groups] + [1]),
        "max_sector_members": max([s.members_n for s in sectors] + [1]),
        "max_country_members": max([c["members_n"] for c in by_country] + [1]),
    }


def personal_data_of(*, member) -> dict:
    """What members holds on `member`, for "download my data": the account, the
    secretariat's decisions on it, its e-mail addresses and API token."""

    return {
        "account": {
            "email": member.email,
            "full_name": member.full_name,
            "organisation": str(member.organisation) if member.organisation else None,
            "position": member.position,
            "preferred_language": member.preferred_language,
            "gender": member.gender,
            "self_described_gender": member.self_described_gender,
            "membership_status": member.membership_status,
            "membership_reply": member.membership_reply,
            "privacy_consented_at": member.privacy_consented_at
            and member.privacy_consented_at.isoformat(),
            "date_joined": member.date_joined.isoformat(),
            "last_login": member.last_login and member.last_login.isoformat(),
        },
        "membership_decisions": [
            {
                "decision": entry.data.get("after"),
                "before": entry.data.get("before"),
                "note": entry.data.get("note", ""),
                "decided_by": entry.actor.full_name if entry.actor else None,
                "decided_at": entry.created_at.isoformat(),
            }
            for entry in membership_decisions(member=member).select_related("actor")
        ],
        "email_addresses": rows(
            EmailAddress.objects.filter(user=member), "email", "verified", "primary"
        ),
        "forum_seats": rows(
            member.forum_seats.all(), "stakeholder_group", "co_chair", "term_start", "term_end"
        ),
        "organisation_changes": rows(
            member.organisation_changes.all(),
            "organisation_before__name",
            "organisation__name",
            "requested_at",
            "status",
            "decided_at",
            "reason",
        ),
        "api_token": rows(Token.objects.filter(user=member), "created"),
        "invitations": rows(
            Invitation.objects.filter(Q(user=member) | Q(email_is(member.email))),
            "forum__name",
            "email",
            "name",
            "organisation__name",
            "language",
            "sent_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ),
    }


def forum_body(*, forum, on=None) -> dict:
    """`forum`'s seats in force on a date (today by default), by stakeholder group."""

    today = on or timezone.localdate()
    seats = list(
        ForumSeat.objects.filter(forum=forum, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .select_related("member", "organisation__sector", "alternate")
    )
    return {
        "groups": [
            {"label": label, "seats": [seat for seat in seats if seat.stakeholder_group == value]}
            for value, label in StakeholderGroup.choices
        ],
        "co_chairs": {seat.stakeholder_group: seat for seat in seats if seat.co_chair},
    }


def stakeholder_group_of(member) -> str | None:
    """The stakeholder group of `member`'s organisation, or None without one: read from the
    organisation and sector already loaded with the member, else in one query (not two)."""
    if member.organisation_id is None:
        return None

    if User.organisation.is_cached(member):
        return member.organisation.sector.stakeholder_group

    return (
        Sector.objects.filter(organisations__pk=member.organisation_id)
        .values_list("stakeholder_group", flat=True)
        .first()
    )


def co_chairs_of(member, *, on=None) -> dict[int, str]:
    """The forums `member` co-chairs on a date (today by default), as {forum id: stakeholder
    group}: one indexed query on the member's own seats, asked on every page a member opens."""

    today = on or timezone.localdate()
    return dict(
        ForumSeat.objects.filter(member=member, co_chair=True, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .values_list("forum_id", "stakeholder_group")
    )


def civil_society_seats_of(member, *, on=None) -> set[int]:
    """The forums on whose body `member` sits for the non-government group on a date (today
    by default), holding the seat or as its alternate: one query."""

    today = on or timezone.localdate()
    return set(
        ForumSeat.objects.filter(
            Q(member=member) | Q(alternate=member),
            stakeholder_group=StakeholderGroup.NON_GOVERNMENT,
            term_start__lte=today,
        )
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .values_list("forum_id", flat=True)
    )


def co_chair_group_of(member, *, forum, on=None) -> str | None:
    """The stakeholder group `member` co-chairs in `forum` on a date, or None."""
    forum_id = forum if isinstance(forum, int) else forum.pk
    return co_chairs_of(member, on=on).get(forum_id)


def forum_by_slug(slug: str) -> Forum:
    return Forum.objects.select_related("parent").get(slug=slug)


def forum_directory():
    """Every forum with its parent and its working groups (three queries however many)."""
    return Forum.objects.select_related("parent").prefetch_related(
        Prefetch("working_groups", queryset=Forum.objects.order_by("name", "pk"))
    )


def forums_run_by(user) -> list[Forum]:
    """The forums whose secretariat `user` is (every forum for the site administrator), by
    name."""
    run = forums_run(user)
    if run is not None and not run:
        return []
    forums = Forum.objects.all() if run is None else Forum.objects.filter(pk__in=run)
    return list(forums.order_by("name", "pk"))


def default_forum() -> Forum:
    return Forum.objects.default()


def membership_decisions(*, member):
    """The audit entries of the secretariat's decisions on `member`, oldest first."""

    return AuditEntry.objects.filter(
        about_type=ContentType.objects.get_for_model(User),
        about_id=str(member.pk),
        action__startswith="membership.",
    ).order_by("created_at", "id")


def organisation_change_decisions(*, member):
    """The audit entries of `member`'s changes of organisation, oldest first."""

    return AuditEntry.objects.filter(
        about_type=ContentType.objects.get_for_model(User),
        about_id=str(member.pk),
        action__startswith="organisation_change.",
    ).order_by("created_at", "id")


def organisation_changes_waiting():
    """Members' changes of organisation waiting for the secretariat, oldest first, with the
    seats on forums' bodies each member holds (the secretariat ends them by hand)."""
    today = timezone.localdate()
    return (
        OrganisationChange.objects.filter(
            status=OrganisationChange.Status.PENDING, member__is_active=True
        )
        .select_related("member", "organisation__sector", "organisation_before__sector")
        .annotate(
            body_seats_n=Count(
                "member__forum_seats",
                filter=Q(member__forum_seats__term_end__isnull=True)
                | Q(member__forum_seats__term_end__gte=today),
            )
        )
        .order_by("requested_at", "id")
    )


def organisation_changes_waiting_count() -> int:
    return OrganisationChange.objects.filter(
        status=OrganisationChange.Status.PENDING, member__is_active=True
    ).count()


def organisation_change_of(*, member):
    """`member`'s change of organisation waiting for the secretariat, else their last one
    decided (for the profile page), else None."""
    changes = OrganisationChange.objects.filter(member=member).select_related("organisation")
    pending = changes.filter(status=OrganisationChange.Status.PENDING).first()
    if pending is not None:
        return pending
    return changes.exclude(status=OrganisationChange.Status.WITHDRAWN).order_by("-pk").first()


def body_seats(*, forum, show: str = "current"):
    """`forum`'s seats for its back office: those in force today or to come ("current"), or
    every one, past included ("all"); by group, co-chairs first."""
    seats = ForumSeat.objects.filter(forum=forum).select_related(
        "member", "organisation", "alternate"
    )
    if show != "all":
        seats = seats.filter(Q(term_end__isnull=True) | Q(term_end__gte=timezone.localdate()))
    return seats.order_by(
        "stakeholder_group", "-co_chair", "organisation__name", "term_start", "pk"
    )


def forum_roles(*, forum):
    """`forum`'s secretariat and facilitators."""
    return (
        ForumRole.objects.filter(forum=forum)
        .select_related("member")
        .order_by("role", "member__full_name", "member__email")
    )


def organisations_managed(*, query: str = "", only_new: bool = False):
    """Organisations for the secretariat: new ones (not verified yet) first, then by name;
    with their member count."""
    organisations = Organisation.objects.select_related("sector").annotate(
        members_n=Count("members", filter=Q(members__is_active=True))
    )
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(city__icontains=query) | Q(website__icontains=query)
        )
    if only_new:
        organisations = organisations.filter(verified=False)
    return organisations.order_by("verified", "name", "pk")


def forum_invitations(*, forum, query: str = "", state: str = ""):
    """`forum`'s invitations for its back office, newest first, each with its state
    (`state_now`), its organisation and who invited; searched by name or address, filtered
    by state."""
    invitations = (
        Invitation.objects.filter(forum=forum)
        .with_state()
        .select_related("organisation__sector", "invited_by")
    )
    if query:
        invitations = invitations.filter(Q(name__icontains=query) | Q(email__icontains=query))
    if state:
        invitations = invitations.filter(state_now=state)
    return invitations.order_by("-sent_at", "-pk")
