"""Participation by stakeholder group and sector, and beyond the usual faces. Reads only.

Definitions (the page repeats them):
- Workshops counted: those of the scope that have started (held or under way), not drafts,
  not cancelled.
- Seats: confirmed registrations. Attended: those checked in as present.
- Participants of a workshop: those who attended, if anyone was checked in; before check-in
  (or when it was not done), the confirmed seats.
- Every figure is one forum's: the workshops of its co-creation processes.
- A first-time participant had attended no workshop of the forum that started earlier.
- Concentration: the share of all participations in the scope taken by the most frequent
  tenth of its participants (ceil(n / 10) people, most participations first), also within
  each stakeholder group. Per workshop, "usual faces" is the share of its participants who
  belong to the scope's most frequent tenth.
- A seat, a contribution, a support and a comment count for the organisation its member
  had when taking the seat or posting (kept on the row: a later change of organisation
  moves nothing), in that organisation's sector.
- Contributions are the published ones posted in the workshop; supports and comments are
  those given to them.

A handful of aggregate queries, whatever the number of workshops or people.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreation.models import Comment, Contribution, Registration, Support, Workshop
from members.models import Sector, StakeholderGroup

UNKNOWN = ""  # people without an organisation


@dataclass
class Figures:
    seats: int = 0
    attended: int = 0
    participants: int = 0
    first_time: int = 0
    usual_faces: int = 0
    contributions: int = 0
    supports: int = 0
    comments: int = 0

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def first_time_share(self) -> float | None:
        return self.first_time / self.participants if self.participants else None

    @property
    def usual_faces_share(self) -> float | None:
        return self.usual_faces / self.participants if self.participants else None

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "first_time_share": _rounded(self.first_time_share),
            "usual_faces_share": _rounded(self.usual_faces_share),
        }


@dataclass
class WorkshopParticipation:
    workshop: Workshop
    by_group: dict[str, Figures]
    by_sector: dict[int | str, Figures]
    total: Figures
    checked_in: bool  # participants are those checked in (else: the seats)


@dataclass
class Participation:
    workshops: list[WorkshopParticipation]
    by_group: dict[str, Figures]
    by_sector: list[tuple[Sector | None, Figures]]
    total: Figures
    people: int  # distinct participants
    top_tenth: int  # how many people the most frequent tenth holds
    concentration: float | None
    concentration_by_group: dict[str, float | None]
    processes: list[tuple[object, Figures]] = field(default_factory=list)

    def group_rows(self) -> list[dict]:
        return [
            {
                "group": group,
                "label": StakeholderGroup(group).label if group else _("Unknown"),
                "figures": figures,
                "concentration": self.concentration_by_group.get(group),
            }
            for group, figures in self.by_group.items()
        ]

    def as_dict(self) -> dict:
        return {
            "definitions": {
                "participants": "attended if anyone was checked in, else confirmed seats",
                "first_time": "had attended no earlier workshop of the forum",
                "concentration": "share of participations taken by the most frequent tenth",
            },
            "people": self.people,
            "top_tenth": self.top_tenth,
            "concentration": _rounded(self.concentration),
            "total": self.total.as_dict(),
            "by_group": {
                group or "unknown": {
                    **figures.as_dict(),
                    "concentration": _rounded(self.concentration_by_group.get(group)),
                }
                for group, figures in self.by_group.items()
            },
            "by_sector": [
                {"sector": sector.slug if sector else "unknown", **figures.as_dict()}
                for sector, figures in self.by_sector
            ],
            "workshops": [
                {
                    "id": row.workshop.pk,
                    "title": row.workshop.title,
                    "starts_at": row.workshop.starts_at.isoformat(),
                    "checked_in": row.checked_in,
                    **row.total.as_dict(),
                    "by_group": {g or "unknown": f.as_dict() for g, f in row.by_group.items()},
                }
                for row in self.workshops
            ],
        }

    def csv_records(self, scope: str) -> Iterator[dict]:
        sectors = {sector.pk: sector for sector, _figures in self.by_sector if sector}
        for row in self.workshops:
            for sector_id, figures in row.by_sector.items():
                sector = sectors.get(sector_id)
                yield {
                    "scope": scope,
                    "process": row.workshop.process.title,
                    "workshop": row.workshop.title,
                    "workshop_id": row.workshop.pk,
                    "date": timezone.localdate(row.workshop.starts_at).isoformat(),
                    "stakeholder_group": sector.stakeholder_group if sector else "unknown",
                    "sector": str(sector) if sector else "unknown",
                    "seats": figures.seats,
                    "attended": figures.attended,
                    "participants": figures.participants,
                    "first_time_participants": figures.first_time,
                    "usual_faces": figures.usual_faces,
                    "contributions": figures.contributions,
                    "supports": figures.supports,
                    "comments": figures.comments,
                }


CSV_COLUMNS = [
    "scope",
    "process",
    "workshop",
    "workshop_id",
    "date",
    "stakeholder_group",
    "sector",
    "seats",
    "attended",
    "participants",
    "first_time_participants",
    "usual_faces",
    "contributions",
    "supports",
    "comments",
]


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


def participation(*, forum, process=None, plan=None, now=None) -> Participation:
    """Participation in the workshops of `process`, of `plan`'s process, or of the whole
    `forum` (both None). The process or plan must be the forum's."""
    if process is not None and process.forum_id != forum.pk:
        raise ValueError(f"The process {process.slug!r} belongs to another forum.")
    if plan is not None and plan.forum_id != forum.pk:
        raise ValueError(f"The plan {plan.slug!r} belongs to another forum.")
    now = now or timezone.now()
    workshops = Workshop.objects.exclude(
        status__in=[Workshop.Status.DRAFT, Workshop.Status.CANCELLED]
    ).filter(process__forum=forum, starts_at__lte=now)
    if plan is not None:
        workshops = workshops.filter(process_id=plan.process_id)
    elif process is not None:
        workshops = workshops.filter(process=process)
    workshops = list(workshops.select_related("process").order_by("starts_at", "id"))
    ids = [w.pk for w in workshops]
    sectors = {s.pk: s for s in Sector.objects.all()}

    def group_of(sector_id) -> str:
        return sectors[sector_id].stakeholder_group if sector_id in sectors else UNKNOWN

    earlier = Registration.objects.filter(
        member=OuterRef("member"),
        attendance=Registration.Attendance.ATTENDED,
        workshop__process__forum=forum,
        workshop__starts_at__lt=OuterRef("workshop__starts_at"),
    )
    seats = list(
        Registration.objects.filter(workshop_id__in=ids, status=Registration.Status.CONFIRMED)
        .annotate(returning=Exists(earlier))
        .values_list("workshop_id", "member_id", "attendance", "returning", "organisation__sector")
    )
    by_workshop = defaultdict(list)
    for workshop_id, member_id, attendance, returning, sector_id in seats:
        by_workshop[workshop_id].append((member_id, attendance, returning, sector_id))
    checked_in = {
        w: any(a == Registration.Attendance.ATTENDED for _m, a, _r, _s in rows)
        for w, rows in by_workshop.items()
    }

    def participants_of(workshop_id):
        rows = by_workshop.get(workshop_id, [])
        if checked_in.get(workshop_id):
            return [r for r in rows if r[1] == Registration.Attendance.ATTENDED]
        return rows

    # The most frequent tenth: overall, and the counts within each group.
    times = Counter()
    member_sector = {}
    for workshop_id in ids:
        for member_id, _a, _r, sector_id in participants_of(workshop_id):
            times[member_id] += 1
            member_sector[member_id] = sector_id
    usual = set(_top_tenth(times))
    by_group_times = defaultdict(Counter)
    for member_id, n in times.items():
        by_group_times[group_of(member_sector[member_id])][member_id] = n

    activity = defaultdict(lambda: defaultdict(Counter))  # workshop -> sector -> kind -> n
    for kind, rows in (
        (
            "contributions",
            Contribution.objects.filter(workshop_id__in=ids, status=Contribution.Status.PUBLISHED)
            .values_list("workshop_id", "organisation__sector")
            .annotate(n=Count("id")),
        ),
        (
            "supports",
            Support.objects.filter(
                contribution__workshop_id__in=ids,
                contribution__status=Contribution.Status.PUBLISHED,
            )
            .values_list("contribution__workshop_id", "organisation__sector")
            .annotate(n=Count("id")),
        ),
        (
            "comments",
            Comment.objects.filter(
                contribution__workshop_id__in=ids,
                contribution__status=Contribution.Status.PUBLISHED,
            )
            .values_list("contribution__workshop_id", "organisation__sector")
            .annotate(n=Count("id")),
        ),
    ):
        for workshop_id, sector_id, n in rows:
            activity[workshop_id][sector_id][kind] += n

    rows, total = [], Figures()
    by_group = {group: Figures() for group in StakeholderGroup.values}
    by_sector = defaultdict(Figures)
    by_process = {}
    for workshop in workshops:
        per_sector = defaultdict(Figures)
        for _member, attendance, _returning, sector_id in by_workshop.get(workshop.pk, []):
            per_sector[sector_id].seats += 1
            per_sector[sector_id].attended += attendance == Registration.Attendance.ATTENDED
        for member_id, _a, returning, sector_id in participants_of(workshop.pk):
            figures = per_sector[sector_id]
            figures.participants += 1
            figures.first_time += not returning
            figures.usual_faces += member_id in usual
        for sector_id, kinds in activity[workshop.pk].items():
            for kind, n in kinds.items():
                setattr(per_sector[sector_id], kind, getattr(per_sector[sector_id], kind) + n)
        per_group = {group: Figures() for group in StakeholderGroup.values}
        workshop_total = Figures()
        for sector_id, figures in per_sector.items():
            per_group.setdefault(group_of(sector_id), Figures()).add(figures)
            by_sector[sector_id].add(figures)
            workshop_total.add(figures)
        for group, figures in per_group.items():
            by_group.setdefault(group, Figures()).add(figures)
        total.add(workshop_total)
        by_process.setdefault(workshop.process_id, (workshop.process, Figures()))[1].add(
            workshop_total
        )
        rows.append(
            WorkshopParticipation(
                workshop,
                per_group,
                dict(per_sector),
                workshop_total,
                checked_in.get(workshop.pk, False),
            )
        )
    if not by_group.get(UNKNOWN, Figures()).seats:
        by_group.pop(UNKNOWN, None)

    def sector_order(item):
        sector = sectors.get(item[0])
        return (sector.stakeholder_group, sector.position, sector.name) if sector else ("~",)

    ordered_sectors = [
        (sectors.get(sector_id), figures)
        for sector_id, figures in sorted(by_sector.items(), key=sector_order)
    ]
    return Participation(
        workshops=rows,
        by_group=by_group,
        by_sector=ordered_sectors,
        total=total,
        people=len(times),
        top_tenth=len(usual),
        concentration=_concentration(times),
        concentration_by_group={g: _concentration(c) for g, c in by_group_times.items()},
        processes=list(by_process.values()),
    )


def _top_tenth(times: Counter) -> list:
    """The most frequent tenth of the people counted (ties: the earlier member first)."""
    if not times:
        return []
    k = math.ceil(len(times) / 10)
    ranked = sorted(times.items(), key=lambda item: (-item[1], item[0]))
    return [member for member, _n in ranked[:k]]


def _concentration(times: Counter) -> float | None:
    everything = sum(times.values())
    if not everything:
        return None
    return sum(times[m] for m in _top_tenth(times)) / everything
