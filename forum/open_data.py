"""Bulk open data: the workshops with their published contributions and reasoned responses,
the links from those contributions to the public commitments they fed and on to their
milestones, and the approved events, as CSV (streamed row by row) and JSON. The action plans
have their own exports (actionplans/rendering.py), linked from the same page. Only public
content: no draft workshop, no hidden or unmoderated contribution, no author, no e-mail
address, no link to join online. Each forum's members by self-described gender are in
aggregate only, by the small-group rule (members.voices), and left out with the setting
OPEN_DATA_GENDER=0."""

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import Commitment, Milestone
from cocreation.models import Contribution, Workshop
from cocreation.selectors import _with_seat_counts
from core.responses import csv_lines
from events.models import Event
from members.models import Forum
from members.selectors import forum_participants
from members.voices import voices_summary

WORKSHOP_COLUMNS = [
    "workshop_id",
    "forum",
    "process",
    "theme",
    "kind",
    "title",
    "status",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "language",
    "capacity",
    "government_quota",
    "non_government_quota",
    "government_seats_taken",
    "non_government_seats_taken",
    "published_contributions",
]
CONTRIBUTION_COLUMNS = [
    "contribution_id",
    "forum",
    "workshop_id",
    "workshop",
    "kind",
    "title",
    "text",
    "posted_at",
    "disposition",
    "explanation",
    "commitment_reference",
    "responded_at",
]
# "What became of the ideas": one row per published contribution, public commitment it fed
# and milestone of that commitment (a commitment without milestones: one row, milestone
# columns empty).
LINK_COLUMNS = [
    "contribution_id",
    "forum",
    "workshop_id",
    "commitment",
    "action_plan",
    "commitment_number",
    "commitment_id",
    "commitment_status",
    "milestone",
    "milestone_number",
    "milestone_completion",
    "milestone_completion_date",
]
EVENT_COLUMNS = [
    "event_id",
    "forum",
    "campaign",
    "title",
    "description",
    "format",
    "attendance",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "starts_at",
    "ends_at",
    "time_zone",
    "language",
    "organisation",
    "partners",
    "link",
    "accessible_venue",
    "vulnerable_groups",
    "gender_balanced",
    "civil_society_partners",
    "registration_required",
    "capacity",
]

GENDER_COLUMNS = ["forum", "group", "people", "shown_as"]

# The data dictionary shown on the open-data page: column, meaning.
DICTIONARY = {
    "workshops": [
        ("workshop_id", _("The workshop's number on the portal (as in the API).")),
        (
            "forum",
            _("The forum's short name (slug); add ?forum=<slug> to download one forum's rows."),
        ),
        ("process", _("The co-creation process the workshop belongs to.")),
        ("theme", _("The theme of the process it works on, if any.")),
        ("kind", _("cocreation, forum_meeting, implementation_review or training.")),
        ("status", _("published, held or cancelled (drafts are not published).")),
        ("starts_at / ends_at", _("Date and time in ISO 8601, with the offset from UTC.")),
        ("government_quota / non_government_quota", _("Seats kept for each stakeholder group.")),
        ("*_seats_taken", _("Confirmed seats when the file was written (every hour at least).")),
    ],
    "contributions": [
        ("contribution_id", _("The contribution's number on the portal.")),
        ("forum", _("The short name of the forum of its workshop.")),
        ("kind", _("challenge (a problem met) or idea (a proposal for a commitment).")),
        ("posted_at", _("When it was posted (ISO 8601).")),
        (
            "disposition",
            _(
                "The reasoned response: under_consideration, merged, taken_into_commitment or "
                "not_taken_forward; empty while there is none."
            ),
        ),
        ("explanation", _("Why, in the forum's words.")),
        ("commitment_reference", _("The commitment it was taken into, if any.")),
    ],
    "links": [
        (
            "contribution_id",
            _("The contribution's number, as in the contributions table and the API."),
        ),
        ("commitment", _("The commitment's number on the portal (its id in the API).")),
        ("action_plan", _("The plan's short name (slug), as in the plan's downloads.")),
        ("commitment_id", _("The commitment's OGP identifier, once OGP assigns it.")),
        ("commitment_status", _("forum_review, validated or included.")),
        (
            "milestone",
            _("The milestone's number on the portal (its id in the API); empty without one."),
        ),
        ("milestone_number", _("Its order in the commitment, from 1.")),
        ("milestone_completion", _("not_started, limited, substantial or complete.")),
        ("milestone_completion_date", _("When it was completed (ISO 8601), if it was.")),
    ],
    "events": [
        ("event_id", _("The event's number on the portal.")),
        (
            "forum",
            _("The forum's short name (slug); add ?forum=<slug> to download one forum's rows."),
        ),
        ("campaign", _("The campaign's slug, e.g. the year's Open Gov Week.")),
        ("format / attendance", _("Kind of event; in person, online or hybrid.")),
        ("country", _("ISO 3166-1 alpha-2 country code.")),
        ("latitude / longitude", _("Where the venue is (WGS 84), when given.")),
        ("accessible_venue … civil_society_partners", _("The inclusion checklist: yes or no.")),
    ],
    "gender": [
        ("forum", _("The forum's short name (slug).")),
        (
            "group",
            _(
                "woman, man, another (non-binary or another self-description), "
                "prefer_not_to_say, not_given, or all (every member taking part)."
            ),
        ),
        ("people", _("How many members taking part in the forum; empty when not shown.")),
        (
            "shown_as",
            _(
                "number; fewer_than_5 (a group of 1 to 4 people is never given as a number); "
                "not_shown (hidden so that a smaller group cannot be worked out from the "
                "total, or the forum has too few members for any breakdown)."
            ),
        ),
    ],
    "action_plans": [
        ("commitment_id", _("The commitment's OGP identifier.")),
        ("forum", _("The forum whose action plan it is.")),
        ("status", _("forum_review, validated or included (drafts are not published).")),
        ("completion", _("Share of the milestones done, from 0 to 1.")),
        ("milestone completion", _("not_started, limited, substantial or complete.")),
        (
            "civil_society_completion",
            _(
                "Civil society's own assessment of the milestone, on the same scale, beside "
                "the lead agency's; with its evidence, note, organisation and date."
            ),
        ),
        (
            "assessments_differ",
            _("yes when the two levels differ, no when they agree; empty until both assessed."),
        ),
        (
            "milestones_assessed_by_both / milestones_assessments_differ",
            _("Per commitment: its milestones assessed by both, and those where they differ."),
        ),
    ],
}


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def public_workshops(forum=None):
    """The public workshops, of every forum or of `forum`."""
    published = Contribution.objects.filter(status=Contribution.Status.PUBLISHED)
    workshops = Workshop.objects.exclude(status=Workshop.Status.DRAFT)
    if forum is not None:
        workshops = workshops.filter(process__forum=forum)
    return _with_seat_counts(
        workshops.select_related("process__forum", "theme").order_by("starts_at", "id")
    ).prefetch_related(
        Prefetch(
            "contributions",
            queryset=published.select_related("response").order_by("created_at", "id"),
            to_attr="published_contributions",
        )
    )


def workshop_record(workshop) -> dict:
    return {
        "workshop_id": workshop.pk,
        "forum": workshop.process.forum.slug,
        "process": workshop.process.title,
        "theme": workshop.theme.name if workshop.theme else "",
        "kind": workshop.kind,
        "title": workshop.title,
        "status": workshop.status,
        "starts_at": _iso(workshop.starts_at),
        "ends_at": _iso(workshop.ends_at),
        "time_zone": workshop.time_zone,
        "venue": workshop.venue,
        "language": workshop.language,
        "capacity": workshop.capacity,
        "government_quota": workshop.government_quota,
        "non_government_quota": workshop.non_government_quota,
        "government_seats_taken": workshop.government_taken,
        "non_government_seats_taken": workshop.non_government_taken,
        "published_contributions": len(workshop.published_contributions),
    }


def contribution_record(workshop, contribution) -> dict:
    response = getattr(contribution, "response", None)
    return {
        "contribution_id": contribution.pk,
        "forum": workshop.process.forum.slug,
        "workshop_id": workshop.pk,
        "workshop": workshop.title,
        "kind": contribution.kind,
        "title": contribution.title,
        "text": contribution.text,
        "posted_at": _iso(contribution.created_at),
        "disposition": response.disposition if response else "",
        "explanation": response.explanation if response else "",
        "commitment_reference": response.commitment_reference if response else "",
        "responded_at": _iso(response.responded_at) if response else "",
    }


def workshops_csv(table: str, forum=None) -> Iterator[str]:
    if table == "contributions":
        return csv_lines(CONTRIBUTION_COLUMNS, contribution_records(forum))
    return csv_lines(WORKSHOP_COLUMNS, workshop_records(forum))


def workshop_records(forum=None) -> Iterator[dict]:
    return (workshop_record(w) for w in public_workshops(forum).iterator(chunk_size=200))


def contribution_records(forum=None) -> Iterator[dict]:
    """The published contributions of the public workshops, each with its workshop's id and
    its reasoned response, in the order of the workshops."""
    for workshop in public_workshops(forum).iterator(chunk_size=200):
        for contribution in workshop.published_contributions:
            yield contribution_record(workshop, contribution)


def workshops_json(forum=None) -> dict:
    """The workshops, each with the number of its published contributions: the
    contributions themselves are in contributions_json (linked by `workshop_id`), as the
    CSV keeps them in a table of their own."""
    return {"workshops": list(workshop_records(forum)), "exported_at": timezone.now().isoformat()}


def contributions_json(forum=None) -> dict:
    return {
        "contributions": list(contribution_records(forum)),
        "exported_at": timezone.now().isoformat(),
    }


def public_links(forum=None):
    """The public commitments (of every forum or of `forum`) that grew from published
    contributions, each with those contributions and its milestones: three queries."""
    shown = Contribution.objects.filter(status=Contribution.Status.PUBLISHED).exclude(
        workshop__status=Workshop.Status.DRAFT
    )
    commitments = Commitment.objects.filter(
        status__in=Commitment.PUBLIC_STATUSES, contributions__in=shown
    )
    if forum is not None:
        commitments = commitments.filter(plan__forum=forum)
    return (
        commitments.distinct()
        .select_related("plan__forum")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=shown.order_by("id"),
                to_attr="public_contributions",
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id")),
        )
        .order_by("plan_id", "number", "id")
    )


def link_records(forum=None) -> Iterator[dict]:
    for commitment in public_links(forum):
        milestones = list(enumerate(commitment.milestones.all(), start=1)) or [(None, None)]
        for contribution in commitment.public_contributions:
            for number, milestone in milestones:
                yield {
                    "contribution_id": contribution.pk,
                    "forum": commitment.plan.forum.slug,
                    "workshop_id": contribution.workshop_id,
                    "commitment": commitment.pk,
                    "action_plan": commitment.plan.slug,
                    "commitment_number": commitment.number,
                    "commitment_id": commitment.ogp_id,
                    "commitment_status": commitment.status,
                    "milestone": milestone.pk if milestone else "",
                    "milestone_number": number or "",
                    "milestone_completion": milestone.completion if milestone else "",
                    "milestone_completion_date": milestone.completed_on.isoformat()
                    if milestone and milestone.completed_on
                    else "",
                }


def links_csv(forum=None) -> Iterator[str]:
    return csv_lines(LINK_COLUMNS, link_records(forum))


def links_json(forum=None) -> dict:
    """The same links nested: each contribution with the commitments it fed, each with
    its milestones."""
    contributions: dict[int, dict] = {}
    for commitment in public_links(forum):
        record = {
            "commitment": commitment.pk,
            "action_plan": commitment.plan.slug,
            "commitment_number": commitment.number,
            "commitment_id": commitment.ogp_id,
            "commitment_status": commitment.status,
            "milestones": [
                {
                    "milestone": m.pk,
                    "milestone_number": n,
                    "milestone_completion": m.completion,
                    "milestone_completion_date": m.completed_on.isoformat()
                    if m.completed_on
                    else "",
                }
                for n, m in enumerate(commitment.milestones.all(), start=1)
            ],
        }
        for contribution in commitment.public_contributions:
            contributions.setdefault(
                contribution.pk,
                {
                    "contribution_id": contribution.pk,
                    "forum": commitment.plan.forum.slug,
                    "workshop_id": contribution.workshop_id,
                    "commitments": [],
                },
            )["commitments"].append(record)
    return {
        "contributions": [contributions[pk] for pk in sorted(contributions)],
        "exported_at": timezone.now().isoformat(),
    }


def public_events(forum=None):
    """The published events, of every forum or of `forum`."""
    events = Event.objects.filter(status=Event.Status.APPROVED)
    if forum is not None:
        events = events.filter(forum=forum)
    return events.select_related("forum", "campaign", "organisation").order_by("starts_at", "id")


def event_record(event) -> dict:
    return {
        "event_id": event.pk,
        "forum": event.forum.slug,
        "campaign": event.campaign.slug if event.campaign else "",
        "title": event.title,
        "description": event.description,
        "format": event.format,
        "attendance": event.attendance,
        "address": event.address,
        "city": event.city,
        "country": event.country.code or "",
        "latitude": "" if event.latitude is None else str(event.latitude),
        "longitude": "" if event.longitude is None else str(event.longitude),
        "starts_at": _iso(event.starts_at),
        "ends_at": _iso(event.ends_at),
        "time_zone": event.time_zone,
        "language": event.language,
        "organisation": event.organisation.name if event.organisation else "",
        "partners": event.partners,
        "link": event.link,
        "accessible_venue": _yes_no(event.accessible_venue),
        "vulnerable_groups": _yes_no(event.vulnerable_groups),
        "gender_balanced": _yes_no(event.gender_balanced),
        "civil_society_partners": _yes_no(event.civil_society_partners),
        "registration_required": _yes_no(event.registration_required),
        "capacity": "" if event.capacity is None else event.capacity,
    }


def events_csv(forum=None) -> Iterator[str]:
    return csv_lines(
        EVENT_COLUMNS, (event_record(e) for e in public_events(forum).iterator(chunk_size=500))
    )


def events_json(forum=None) -> dict:
    return {
        "events": [event_record(e) for e in public_events(forum)],
        "exported_at": timezone.now().isoformat(),
    }


def gender_records(forum=None) -> Iterator[dict]:
    """Each forum's members taking part (members.selectors.forum_participants, as on its
    composition page) by self-described gender, with the small-group rule: one query per
    forum."""
    forums = [forum] if forum is not None else Forum.objects.order_by("pk")
    for each in forums:
        voices = voices_summary(forum_participants(each).filter(organisation__isnull=False))
        for group in voices.groups:
            yield {
                "forum": each.slug,
                "group": group.key,
                "people": "" if group.count is None else group.count,
                "shown_as": "number"
                if group.shown
                else "fewer_than_5"
                if group.fewer
                else "not_shown",
            }
        yield {
            "forum": each.slug,
            "group": "all",
            "people": "" if voices.total_shown is None else voices.total_shown,
            "shown_as": "fewer_than_5" if voices.total_shown is None else "number",
        }


def gender_csv(forum=None) -> Iterator[str]:
    return csv_lines(GENDER_COLUMNS, gender_records(forum))


def gender_json(forum=None) -> dict:
    return {
        "gender": [
            {**record, "people": None if record["people"] == "" else record["people"]}
            for record in gender_records(forum)
        ],
        "exported_at": timezone.now().isoformat(),
    }
