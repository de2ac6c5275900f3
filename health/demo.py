"""Demo forum health: a forum where some of OGP's minimum requirements are met and some are
not, so that the forum health page shows both. Runs after the co-creation and action-plan
demos, and gives their records realistic dates; idempotent.

The story:
- 6th plan (in consultation, the co-creation workshops): the forum met ten days ago, both
  groups present (met); its meeting was announced only ten days ahead (not met) and its
  minutes are still a draft (at risk); one contribution from the budget workshop never got a
  reasoned response (not met); the repository was last updated 160 days ago (at risk).
- 5th plan (its implementation meetings, 2023-2025): one gap of 210 days between forum
  meetings and a second year with a single implementation meeting (not met); completed
  milestones with evidence (met); a repository gap of 218 days (not met). Its first two
  forum meetings were held before the forum used the portal: the secretariat recorded them
  (`RECORDED_MEETINGS`), one with its minutes and those present, one without numbers.
"""

from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from actionplans.demo import CONSULTATION_SLUG, IMPLEMENTATION_SLUG
from actionplans.models import ActionPlan, Document
from cocreation.demo import PROCESS_SLUG
from cocreation.models import (
    CoCreationProcess,
    Minutes,
    PastMeeting,
    ReasonedResponse,
    Registration,
    Workshop,
)
from members.demo import DEMO_EMAIL_DOMAIN
from members.models import Forum, StakeholderGroup, User

IMPLEMENTATION_PROCESS_SLUG = "demo-5th-plan-implementation"
FORUM_MEETINGS_SLUG = "demo-forum-meetings"
LATE_MINUTES = {"Forum meeting: autumn 2024"}
# kind, title, days ago, government present, non-government present
RECENT_MEETINGS = [
    ("forum_meeting", "Forum meeting: winter session", 300, 5, 6),
    ("forum_meeting", "Forum meeting: summer session", 150, 6, 5),
]

# kind, title, day (10:00 UTC), government present, non-government present
PAST_MEETINGS = [
    ("forum_meeting", "Forum meeting: autumn 2023", date(2023, 10, 12), 5, 6),
    ("implementation_review", "Implementation review: first results", date(2023, 11, 16), 4, 5),
    ("forum_meeting", "Forum meeting: spring 2024", date(2024, 3, 14), 4, 6),
    ("implementation_review", "Implementation review: mid-term", date(2024, 5, 16), 5, 4),
    ("forum_meeting", "Forum meeting: autumn 2024", date(2024, 9, 19), 5, 5),
    ("implementation_review", "Implementation review: open data", date(2025, 2, 20), 3, 6),
    ("forum_meeting", "Forum meeting: spring 2025", date(2025, 3, 13), 4, 5),
    ("forum_meeting", "Forum meeting: autumn 2025", date(2025, 10, 9), 6, 6),
    ("implementation_review", "Implementation review: end of term", date(2025, 11, 20), 4, 5),
]

# title, day, minutes link, government present, non-government present (None: not recorded)
RECORDED_MEETINGS = [
    ("Founding meeting of the forum", date(2022, 11, 10), "", None, None),
    (
        "Forum meeting: spring 2023",
        date(2023, 4, 20),
        "https://opengov.example.gov/minutes/2023-04-20.pdf",
        6,
        8,
    ),
]


def demo_health_load() -> None:
    if CoCreationProcess.objects.filter(slug=IMPLEMENTATION_PROCESS_SLUG).exists():
        return
    with transaction.atomic():
        _co_creation_dates()
        people = _people_by_group()
        _implementation_meetings(people)
        _recent_forum_meetings(people)
        _recorded_meetings()
        _repository_dates()


def _co_creation_dates() -> None:
    """The 6th plan's workshops: announcements, minutes and responses dated as they were."""
    now = timezone.now()
    for workshop in Workshop.objects.filter(process__slug=PROCESS_SLUG):
        if workshop.kind == Workshop.Kind.FORUM_MEETING:
            announced = workshop.starts_at - timedelta(days=10)  # short notice
        elif workshop.starts_at > now:
            announced = min(workshop.starts_at - timedelta(days=21), now - timedelta(days=1))
        else:
            announced = workshop.starts_at - timedelta(days=21)
        Workshop.objects.filter(pk=workshop.pk).update(announced_at=announced)
        if workshop.ends_at > now:
            continue
        if workshop.kind == Workshop.Kind.FORUM_MEETING:
            Minutes.objects.filter(workshop=workshop).update(published_at=None)  # a draft
        else:
            Minutes.objects.filter(workshop=workshop).update(
                published_at=workshop.ends_at + timedelta(days=6)
            )
        ReasonedResponse.objects.filter(contribution__workshop=workshop).update(
            responded_at=workshop.ends_at + timedelta(days=7)
        )


def _people_by_group() -> dict[str, list]:
    people = list(
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", organisation__isnull=False)
        .select_related("organisation__sector")
        .order_by("id")
    )
    return {
        group: [p for p in people if p.organisation.sector.stakeholder_group == group]
        for group in StakeholderGroup.values
    }


def _recent_forum_meetings(by_group) -> None:
    """Two more meetings of the forum during the 6th plan's co-creation, so that its meetings
    are never more than six months apart."""
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(),
        slug=FORUM_MEETINGS_SLUG,
        title="Forum meetings",
        description="The forum's regular meetings between co-creation processes.",
    )
    today = timezone.localdate()
    meetings = [
        (kind, title, today - timedelta(days=days_ago), gov, ngo)
        for kind, title, days_ago, gov, ngo in RECENT_MEETINGS
    ]
    _held_meetings(process, meetings, by_group)


def _implementation_meetings(by_group) -> None:
    plan = ActionPlan.objects.filter(slug=IMPLEMENTATION_SLUG).first()
    if plan is None:
        return
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(),
        slug=IMPLEMENTATION_PROCESS_SLUG,
        title="Implementation of the 5th National Action Plan",
        description="Forum meetings and implementation reviews with civil society, 2023-2025.",
        created_at=datetime(2023, 9, 1, tzinfo=UTC),
    )
    plan.process = process
    plan.save(update_fields=["process"])
    _held_meetings(process, PAST_MEETINGS, by_group)


def _recorded_meetings() -> None:
    """The meetings the forum held before it used the portal, as its secretariat recorded
    them (cocreation.past_meetings)."""
    forum = Forum.objects.default()
    PastMeeting.objects.bulk_create(
        [
            PastMeeting(
                forum=forum,
                kind=Workshop.Kind.FORUM_MEETING,
                held_on=day,
                title=title,
                minutes_url=minutes,
                present_government=government,
                present_non_government=non_government,
            )
            for title, day, minutes, government, non_government in RECORDED_MEETINGS
        ],
        ignore_conflicts=True,
    )


def _held_meetings(process, meetings, by_group) -> None:
    registrations = []
    for index, (kind, title, day, government, non_government) in enumerate(meetings):
        starts_at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        workshop = Workshop.objects.create(
            process=process,
            kind=kind,
            title=title,
            description="The forum reviews the commitments' progress with civil society.",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            time_zone="Europe/Athens",
            venue="Athens, Ministry of Digital Governance, room 2",
            status=Workshop.Status.HELD,
            capacity=20,
            government_quota=10,
            non_government_quota=10,
            announced_at=starts_at - timedelta(days=21),
            created_at=starts_at - timedelta(days=30),
        )
        Minutes.objects.create(
            workshop=workshop,
            text="<p>The lead agencies presented progress; civil society commented.</p>",
            # One set of minutes came late.
            published_at=workshop.ends_at + timedelta(days=20 if title in LATE_MINUTES else 5),
        )
        present = {
            StakeholderGroup.GOVERNMENT: government,
            StakeholderGroup.NON_GOVERNMENT: non_government,
        }
        for group, n in present.items():
            # Rotating through the group, so that some come often and some once.
            pool = by_group[group]
            for offset in range(n):
                member = pool[(index * 2 + offset) % len(pool)] if offset % 2 else pool[offset]
                registrations.append(
                    Registration(
                        workshop=workshop,
                        member=member,
                        organisation_id=member.organisation_id,  # bulk_create skips save()
                        stakeholder_group=group,
                        seat_group=group,
                        status=Registration.Status.CONFIRMED,
                        attendance=Registration.Attendance.ATTENDED,
                        created_at=starts_at - timedelta(days=14),
                        confirmed_at=starts_at - timedelta(days=14),
                    )
                )
    Registration.objects.bulk_create(registrations, ignore_conflicts=True)


def _repository_dates() -> None:
    """Repository entries count as updates on the day they were added: the 5th plan's on
    their own dates; the 6th plan's rules of participation 160 days ago."""
    for document in Document.objects.filter(plan__slug=IMPLEMENTATION_SLUG):
        Document.objects.filter(pk=document.pk).update(
            added_at=datetime(
                document.dated.year, document.dated.month, document.dated.day, 9, tzinfo=UTC
            )
        )
    plan = ActionPlan.objects.filter(slug=CONSULTATION_SLUG).first()
    if plan is not None:
        Document.objects.create(
            plan=plan,
            kind=Document.Kind.OTHER,
            title="Co-creation timeline and rules of participation",
            url="https://opengov.example.gov/co-creation-rules",
            dated=timezone.localdate() - timedelta(days=160),
            added_at=timezone.now() - timedelta(days=160),
        )


def demo_health_remove() -> None:
    slugs = [IMPLEMENTATION_PROCESS_SLUG, FORUM_MEETINGS_SLUG]
    PastMeeting.objects.filter(
        forum=Forum.objects.default(), title__in=[m[0] for m in RECORDED_MEETINGS]
    ).delete()
    Workshop.objects.filter(process__slug__in=slugs).delete()
    CoCreationProcess.objects.filter(slug__in=slugs).delete()
