"""The generated forum, at a scale factor: scale 1 is 5,000 members, 200 workshops, 2,000
contributions, 3 action plans of 20 commitments (60), 500 events; scale 10 has ten times as
much, and the pages measured show ten times as many rows where they list children (the
contribution board, the plan's dashboard, the commitment's comments), so that a query per
row would show. Run inside Django (DJANGO_SETTINGS_MODULE set, django.setup() done)."""

from datetime import date, timedelta

from django.utils import timezone

LANGUAGES = ["en", "el", "uk", "sr", "pt", "pl"]
TEXT = (
    "The lead agency publishes the budget data every month in an open format, so that "
    "journalists, researchers and citizens can follow how public money is spent."
)


def generate(scale: int) -> dict:
    from actionplans.models import ActionPlan, Commitment, ConsultationComment, Milestone
    from cocreation.models import (
        CoCreationProcess,
        Comment,
        Contribution,
        ReasonedResponse,
        Registration,
        Support,
        Workshop,
    )
    from events.models import Campaign, Event
    from members.models import Forum, MembershipStatus, Organisation, Sector, User

    now = timezone.now()
    sectors = list(Sector.objects.order_by("position", "id"))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Organisation {i}", sector=sectors[i % len(sectors)], country="GR")
            for i in range(100 * scale)
        ]
    )
    password = "!"  # unusable: the benchmark logs members in by session
    members = User.objects.bulk_create(
        [
            User(
                email=f"member{i}@bench.example.org",
                full_name=f"Member {i}",
                organisation=organisations[i % len(organisations)],
                preferred_language=LANGUAGES[i % len(LANGUAGES)],
                membership_status=MembershipStatus.APPROVED,
                password=password,
            )
            for i in range(5000 * scale)
        ],
        batch_size=5000,
    )
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(), title="Benchmark process", slug="bench"
    )
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                process=process,
                title=f"Workshop {n}",
                description=TEXT,
                status=Workshop.Status.HELD if n % 2 else Workshop.Status.PUBLISHED,
                starts_at=now + timedelta(days=(n % 90) + 1) * (-1 if n % 2 else 1),
                ends_at=now
                + timedelta(days=(n % 90) + 1) * (-1 if n % 2 else 1)
                + timedelta(hours=3),
                capacity=40,
                government_quota=20,
                non_government_quota=20,
            )
            for n in range(200 * scale)
        ]
    )
    # Every workshop has 10 registrations; the one whose page is measured has 40 x scale.
    featured = workshops[0]
    held = workshops[1]
    registrations = []
    for n, workshop in enumerate(workshops):
        count = 40 * scale if workshop is featured else 10
        for k in range(count):
            member = members[(n * 10 + k) % len(members)]
            group = member.organisation.sector.stakeholder_group
            registrations.append(
                Registration(
                    workshop=workshop,
                    member=member,
                    organisation_id=member.organisation_id,  # bulk_create skips save()
                    stakeholder_group=group,
                    seat_group=group,
                    status=Registration.Status.CONFIRMED if k < 20 else Registration.Status.WAITING,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    # 2,000 x scale contributions: 25 x scale on the measured board, the rest spread.
    held_workshops = [w for w in workshops if w.status == Workshop.Status.HELD]
    board_n = 25 * scale
    contributions = Contribution.objects.bulk_create(
        [
            Contribution(
                workshop=held if i < board_n else held_workshops[i % len(held_workshops)],
                author=members[i % len(members)],
                organisation_id=members[i % len(members)].organisation_id,
                stakeholder_group=members[i % len(members)].organisation.sector.stakeholder_group,
                kind=Contribution.Kind.IDEA if i % 2 else Contribution.Kind.CHALLENGE,
                title=f"Contribution {i}",
                text=TEXT,
                status=Contribution.Status.PUBLISHED,
            )
            for i in range(2000 * scale)
        ],
        batch_size=5000,
    )
    board = contributions[:board_n]
    Comment.objects.bulk_create(
        [
            Comment(
                contribution=c,
                author=members[(i + k) % len(members)],
                organisation_id=members[(i + k) % len(members)].organisation_id,
                text=TEXT,
            )
            for i, c in enumerate(board)
            for k in range(2)
        ]
    )
    Support.objects.bulk_create(
        [
            Support(
                contribution=c,
                member=members[(i * 3 + k) % len(members)],
                organisation_id=members[(i * 3 + k) % len(members)].organisation_id,
            )
            for i, c in enumerate(board)
            for k in range(3)
        ]
    )
    ReasonedResponse.objects.bulk_create(
        [
            ReasonedResponse(
                contribution=c,
                disposition=ReasonedResponse.Disposition.values[0],
                explanation=TEXT,
            )
            for c in board[::2]
        ]
    )
    # 3 x scale plans of 20 commitments with 5 milestones; the measured plan has 20 x scale.
    agency = next(o for o in organisations if o.sector.stakeholder_group == "government")
    plans = ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                forum=process.forum,
                title=f"Action plan {p}",
                slug=f"plan-{p}",
                country="GR",
                period_start=date(2026, 1, 1),
                period_end=date(2027, 12, 31),
                status=ActionPlan.Status.IMPLEMENTATION,
                vision=TEXT,
            )
            for p in range(3 * scale)
        ]
    )
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                plan=plan,
                number=n + 1,
                title=f"Commitment {n + 1}",
                summary=TEXT,
                problem=TEXT,
                description=TEXT,
                lead_agency=agency,
                status=Commitment.Status.INCLUDED,
                start_date=plan.period_start,
                end_date=plan.period_end,
            )
            for p, plan in enumerate(plans)
            for n in range(20 * scale if p == 0 else 20)
        ],
        batch_size=5000,
    )
    levels = list(Milestone.Completion.values)
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        [
            Milestone(
                commitment=c,
                position=m + 1,
                activity=f"Milestone {m + 1}",
                deliverable="A public data set",
                start_date=today - timedelta(days=60),
                end_date=today + timedelta(days=20 * m - 30),
                responsible=agency,
                completion=levels[m % len(levels)],
            )
            for c in commitments
            for m in range(5)
        ],
        batch_size=5000,
    )
    commitment = commitments[0]
    commitment.co_drafters.add(*members[:4])
    ConsultationComment.objects.bulk_create(
        [
            ConsultationComment(commitment=commitment, author=members[i], text=TEXT)
            for i in range(10 * scale)
        ]
    )
    campaign = Campaign.objects.create(
        forum=Forum.objects.default(), name="Open Gov Week", slug="open-gov-week"
    )
    Event.objects.bulk_create(
        [
            Event(
                campaign=campaign,
                forum=campaign.forum,
                organiser=members[i % len(members)],
                organisation=organisations[i % len(organisations)],
                title=f"Event {i}",
                description=TEXT,
                format=Event.Format.SEMINAR,
                attendance=Event.Attendance.ONLINE,
                online_link="https://meet.example.org/x",
                starts_at=now + timedelta(hours=i + 24),
                ends_at=now + timedelta(hours=i + 26),
                status=Event.Status.APPROVED,
                registration_required=i % 3 == 0,
                capacity=50 if i % 3 == 0 else None,
            )
            for i in range(500 * scale)
        ],
        batch_size=5000,
    )
    viewer = members[-1]
    forum_slug = Forum.objects.default().slug
    return {
        "scale": scale,
        "viewer": viewer.pk,
        "targets": [
            # Floors beside the bare view: what a page's base template, and an API answer,
            # cost with no content (benchmarks/support/urls.py).
            {"name": "empty page (base template)", "path": "/bench/base/"},
            {"name": "API: empty answer", "path": "/bench/api/"},
            {"name": "home", "path": "/"},
            {"name": "workshop list", "path": "/workshops/"},
            {"name": "workshop page", "path": f"/workshops/{featured.pk}/"},
            {"name": "contribution board", "path": f"/workshops/{held.pk}/contributions/"},
            {
                "name": "commitment page",
                "path": f"/action-plans/{plans[0].slug}/commitments/{commitment.number}/",
            },
            {"name": "action-plan dashboard", "path": f"/action-plans/{plans[0].slug}/dashboard/"},
            {"name": "event list", "path": "/events/"},
            # --- Forum health, as an anonymous visitor finds it (issue 27): the stored
            # report (the first request, in prepare.py, computes and stores it).
            {"name": "forum health (anon.)", "path": "/forum-health/", "anonymous": True},
            {
                "name": "health JSON (anon.)",
                "path": "/forum-health/report.json",
                "anonymous": True,
            },
            {
                "name": "participation (anon.)",
                "path": "/forum-health/participation/",
                "anonymous": True,
            },
            {
                "name": "health check JSON (anon.)",
                "path": f"/forums/{forum_slug}/health/checks/reasoned_responses/report.json",
                "anonymous": True,
            },
            # --- Open data as files (issue 27): written by the first request (in prepare.py)
            # as the worker would, then served as they are; gzip as a browser or curl
            # --compressed asks for it, and plain.
            *(
                {
                    "name": f"open data: {name}{' gzip' if gz else ''} (anon.)",
                    "path": f"/open-data/{name}",
                    "anonymous": True,
                    **({"headers": {"Accept-Encoding": "gzip"}} if gz else {}),
                }
                for name, gz in (
                    ("workshops.json", False),
                    ("workshops.json", True),
                    ("workshops.csv", False),
                    ("contributions.json", False),
                    ("contributions.json", True),
                    ("contributions.jsonl", True),
                    ("events.json", False),
                    ("events.json", True),
                )
            ),
            # --- API list endpoints (issue: public API, built on another branch) -----------
            # Measured when the URL answers; skipped, and said so, while it is a 404.
            {"name": "API: workshops", "path": "/api/v1/workshops/", "optional": True},
            {"name": "API: contributions", "path": "/api/v1/contributions/", "optional": True},
            {"name": "API: commitments", "path": "/api/v1/commitments/", "optional": True},
            {"name": "API: events", "path": "/api/v1/events/", "optional": True},
        ],
    }


def session_for(member_pk: int) -> str:
    """A logged-in session stored by the configured engine; returns the session key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(pk=member_pk)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def storm_generate(members_n: int = 500, seats: int = 40) -> dict:
    """A published 40-seat workshop (20 seats for government, 20 for the others) and 500
    approved members, half from each group, each with a logged-in session."""
    from cocreation.models import CoCreationProcess, Workshop
    from members.models import (
        Forum,
        MembershipStatus,
        Organisation,
        Sector,
        StakeholderGroup,
        User,
    )

    now = timezone.now()
    government = Sector.objects.filter(stakeholder_group=StakeholderGroup.GOVERNMENT).first()
    other = Sector.objects.exclude(stakeholder_group=StakeholderGroup.GOVERNMENT).first()
    organisations = [
        Organisation.objects.create(name="Ministry", sector=government, country="GR"),
        Organisation.objects.create(name="Civil society", sector=other, country="GR"),
    ]
    members = User.objects.bulk_create(
        [
            User(
                email=f"storm{i}@bench.example.org",
                full_name=f"Member {i}",
                organisation=organisations[i % 2],
                preferred_language=LANGUAGES[i % len(LANGUAGES)],
                membership_status=MembershipStatus.APPROVED,
                password="!",
            )
            for i in range(members_n)
        ]
    )
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(), title="Storm", slug="storm"
    )
    workshop = Workshop.objects.create(
        process=process,
        title="A popular workshop",
        status=Workshop.Status.PUBLISHED,
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=3),
        capacity=seats,
        government_quota=seats // 2,
        non_government_quota=seats - seats // 2,
    )
    return {
        "workshop": workshop.pk,
        "quotas": {"government": seats // 2, "non_government": seats - seats // 2},
        "members": [
            {
                "pk": m.pk,
                "group": m.organisation.sector.stakeholder_group,
                "session": session_for(m.pk),
            }
            for m in members
        ],
    }


SUSTAINED_WORKSHOPS = 5  # beside the hot one
SUSTAINED_HOT_SHARE = 0.5  # of the registrations, for the hot workshop
SUSTAINED_SEATS = 60  # each of the five (30 + 30); the hot one has the burst's 40


def storm_sustained_generate(registrations: int, hot_seats: int = 40) -> dict:
    """Registration as it really arrives: `registrations` members, each registering once,
    for one of five 60-seat workshops or, half of them, for one hot 40-seat workshop; every
    workshop gets as many of each stakeholder group and more people than seats. Returns the
    workshops and the requests in the order they are to be sent (shuffled, reproducibly)."""
    import random

    from cocreation.models import CoCreationProcess, Workshop
    from members.models import (
        Forum,
        MembershipStatus,
        Organisation,
        Sector,
        StakeholderGroup,
        User,
    )

    now = timezone.now()
    groups = [StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT]
    sectors = [
        Sector.objects.filter(stakeholder_group=StakeholderGroup.GOVERNMENT).first(),
        Sector.objects.exclude(stakeholder_group=StakeholderGroup.GOVERNMENT).first(),
    ]
    organisations = [
        Organisation.objects.create(name=f"Sustained {i}", sector=sector, country="GR")
        for i, sector in enumerate(sectors)
    ]
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(), title="Sustained storm", slug="sustained-storm"
    )

    def workshop(title, seats):
        return Workshop.objects.create(
            process=process,
            title=title,
            status=Workshop.Status.PUBLISHED,
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=3),
            capacity=seats,
            government_quota=seats // 2,
            non_government_quota=seats - seats // 2,
        )

    hot = workshop("The hot workshop", hot_seats)
    others = [workshop(f"Workshop {i + 1}", SUSTAINED_SEATS) for i in range(SUSTAINED_WORKSHOPS)]
    hot_n = int(registrations * SUSTAINED_HOT_SHARE)
    shares = [hot_n] + [
        (registrations - hot_n) // len(others) + (i < (registrations - hot_n) % len(others))
        for i in range(len(others))
    ]
    places = [(w, j % 2) for w, n in zip([hot, *others], shares, strict=True) for j in range(n)]
    random.Random(22).shuffle(places)  # noqa: S311 -- an order, not a secret
    members = User.objects.bulk_create(
        [
            User(
                email=f"sustained{i}@bench.example.org",
                full_name=f"Member {i}",
                organisation=organisations[group],
                preferred_language=LANGUAGES[i % len(LANGUAGES)],
                membership_status=MembershipStatus.APPROVED,
                password="!",
            )
            for i, (_w, group) in enumerate(places)
        ]
    )
    return {
        "workshops": [
            {
                "pk": w.pk,
                "title": w.title,
                "hot": w.pk == hot.pk,
                "registrations": n,
                "quotas": {group: w.quota(group) for group in groups},
            }
            for w, n in zip([hot, *others], shares, strict=True)
        ],
        "requests": [
            {
                "member": m.pk,
                "workshop": w.pk,
                "group": groups[group],
                "session": session_for(m.pk),
            }
            for m, (w, group) in zip(members, places, strict=True)
        ],
    }


def storm_verify(workshop_pk: int) -> dict:
    """What the database holds after the storm."""
    from cocreation.models import Registration
    from cocreation.services import waiting_position

    rows = list(Registration.objects.filter(workshop_id=workshop_pk).order_by("created_at", "id"))
    confirmed = [r for r in rows if r.status == Registration.Status.CONFIRMED]
    waiting = [r for r in rows if r.status == Registration.Status.WAITING]
    split = {}
    for r in confirmed:
        split[r.seat_group] = split.get(r.seat_group, 0) + 1
    order_ok = True
    for group in {r.stakeholder_group for r in rows}:
        mine = [r for r in rows if r.stakeholder_group == group]
        # Arrival order as the server saw it: ids and times rise together, every seat went
        # to someone who came before everyone waiting, and the waiting list is numbered
        # 1, 2, 3 ... in that order.
        if [r.pk for r in mine] != sorted(r.pk for r in mine):
            order_ok = False
        first_waiting = next(
            (i for i, r in enumerate(mine) if r.status == Registration.Status.WAITING), len(mine)
        )
        if any(r.status != Registration.Status.CONFIRMED for r in mine[:first_waiting]) or any(
            r.status != Registration.Status.WAITING for r in mine[first_waiting:]
        ):
            order_ok = False
        positions = [waiting_position(r) for r in mine[first_waiting:]]
        if positions != list(range(1, len(positions) + 1)):
            order_ok = False
    return {
        "registrations": len(rows),
        "confirmed": len(confirmed),
        "waiting": len(waiting),
        "split": dict(sorted(split.items())),
        "waiting_order_ok": order_ok,
        "member_order": [r.member_id for r in rows],
    }


def storm_direct(processes: int = 4) -> dict:
    """The same storm without HTTP: the storm's members register for a second, identical
    workshop by calling the service from `processes` processes at once (each with its own
    database connection), released together. What the seat allocation itself handles, its
    lock included, apart from the web stack's CPU."""
    import multiprocessing
    import time

    from django.db import connections

    from cocreation.models import Workshop
    from cocreation.services import workshop_register
    from members.models import User

    first = Workshop.objects.filter(process__slug="storm").earliest("id")
    workshop = Workshop.objects.create(
        process=first.process,
        title="A popular workshop, served without HTTP",
        status=Workshop.Status.PUBLISHED,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        capacity=first.capacity,
        government_quota=first.government_quota,
        non_government_quota=first.non_government_quota,
    )
    member_ids = list(
        User.objects.filter(email__startswith="storm").order_by("id").values_list("pk", flat=True)
    )
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    queue = context.Queue()

    def worker(share):
        members = list(User.objects.select_related("organisation__sector").filter(pk__in=share))
        barrier.wait()
        timings = []
        for member in members:
            started = time.perf_counter()
            workshop_register(workshop=workshop, member=member)
            timings.append((started, time.perf_counter()))
        connections.close_all()
        queue.put(timings)

    pool = [
        context.Process(target=worker, args=(member_ids[i::processes],)) for i in range(processes)
    ]
    for p in pool:
        p.start()
    timings = [t for _ in pool for t in queue.get()]
    for p in pool:
        p.join()
    wall = max(end for _s, end in timings) - min(start for start, _e in timings)
    return {
        "workshop": workshop.pk,
        "processes": processes,
        "registrations": len(timings),
        "seconds": wall,
        "per_second": len(timings) / wall,
        "latencies": [end - start for start, end in timings],
    }
