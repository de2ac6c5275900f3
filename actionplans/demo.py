"""Demo action plans: the 6th plan in public consultation, its commitments grown from the
demo workshops' contributions, and the 5th plan in implementation with milestones at every
completion level. Built through the services, so versions, sign-offs and the audit trail
are real. Idempotent."""

from datetime import UTC, date, datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from actionplans import services
from actionplans.models import ActionPlan, Commitment, Document, Milestone
from cocreation.demo import CITY_PROCESS_SLUG, PROCESS_SLUG
from cocreation.models import CoCreationProcess, Contribution, Minutes, Registration, Workshop
from cocreation.services import contribution_publish, contribution_respond
from members.demo import CITY_SLUG as CITY_FORUM_SLUG
from members.demo import demo_email
from members.models import Forum, Organisation, User

CONSULTATION_SLUG = "nap-6-2026-2028"
IMPLEMENTATION_SLUG = "nap-5-2023-2025"
CITY_PLAN_SLUG = "pancevo-lap-2026-2027"
PLAN_SLUGS = [CONSULTATION_SLUG, IMPLEMENTATION_SLUG, CITY_PLAN_SLUG]
# The 5th plan's co-creation in 2023: one workshop, where member@'s idea became the plan's
# first commitment, whose milestones were completed ("What became of my ideas").
PAST_PROCESS_SLUG = "demo-5th-plan-co-creation"
PAST_IDEA = (
    "idea",
    "One portal for every ministry's data",
    "Each ministry publishes its data on its own site, in its own formats. One national "
    "portal, with an inventory of what each ministry holds, would let people find it.",
)

# The city forum's local plan, in Serbian (Cyrillic): title, summary, lead organisation,
# milestones, whether the government co-chair has signed it off
CITY_PLAN = [
    (
        "Отворени подаци о градском буџету",
        "Град сваког месеца објављује извршење буџета као отворене податке.",
        "City of Pančevo",
        ["Попис скупова података са грађанима", "Прво објављивање на порталу"],
        True,
    ),
    (
        "Јавне консултације о градским прописима",
        "Сваки нацрт градске одлуке иде на јавну консултацију од најмање 20 дана.",
        "City of Pančevo",
        ["Правилник о консултацијама", "Извештај о примљеним коментарима"],
        False,
    ),
]

CITY_INTRODUCTION = {
    "vision": (
        "Панчево је град који објављује шта ради, пита грађане пре него што одлучи и "
        "полаже рачуне за резултате."
    ),
    "efforts_to_date": (
        "Град је 2025. отворио портал јавних набавки и први пут објавио буџет за грађане."
    ),
    "development": (
        "Локални форум, у коме Град и организације цивилног друштва имају исти број "
        "места, припремио је план на радионицама отвореним за све."
    ),
}

# title, summary, problem, lead organisation, values, contribution (kind, title, text),
# final status
NEXT_PLAN = [
    (
        "Open budget data every month",
        "Publish the execution of the state budget every month as open data.",
        "Budget documents are scanned PDFs; journalists and researchers retype the figures.",
        "Ministry of Digital Governance",
        ["transparency", "public_accountability"],
        (
            "challenge",
            "Budget figures cannot be reused",
            "Figures come as scanned PDFs and must be retyped.",
        ),
        "validated",
    ),
    (
        "Public procurement from plan to payment",
        "Every contract of the central government, with its amendments and payments, as open "
        "data following the Open Contracting Data Standard.",
        "Contracts are published without amendments or payments, so cost overruns stay hidden.",
        "Ministry of Digital Governance",
        ["transparency", "public_accountability", "technology_innovation"],
        (
            "idea",
            "Open contracting for every public tender",
            "Adopt the Open Contracting Data Standard for all central-government tenders.",
        ),
        "validated",
    ),
    (
        "A register of lobbying contacts",
        "Ministers and senior officials publish their meetings with interest representatives.",
        "Citizens do not know who meets decision-makers about draft laws.",
        "Ministry of Digital Governance",
        ["transparency", "public_accountability"],
        (
            "idea",
            "Publish ministers' meeting diaries",
            "A public, searchable diary of meetings with lobbyists, updated monthly.",
        ),
        "validated",
    ),
    (
        "Participatory budgeting in Thessaloniki",
        "Residents propose and vote on projects for 5% of the city's investment budget.",
        "Residents have no say in how neighbourhood investments are chosen.",
        "Municipality of Thessaloniki",
        ["civic_participation", "inclusion"],
        (
            "idea",
            "Let residents decide part of the city budget",
            "Start with 5% of investments and grow it if participation is good.",
        ),
        "validated",
    ),
    (
        "Access to information requests online",
        "One portal to file and follow requests for public information, with answers public.",
        "Requests are sent by post or e-mail and nobody can see how long answers take.",
        "Hellenic Data Protection Authority",
        ["transparency", "technology_innovation"],
        (
            "challenge",
            "Information requests disappear",
            "Requesters cannot track their requests, and answers are never published.",
        ),
        "forum_review",
    ),
    (
        "Beneficial ownership of companies",
        "Open the register of the real owners of companies to the public, free of charge.",
        "Shell companies hide who profits from public contracts.",
        "Ministry of Digital Governance",
        ["transparency", "public_accountability"],
        (
            "challenge",
            "Who owns the companies that win tenders?",
            "The register of real owners is closed to journalists.",
        ),
        "forum_review",
    ),
    (
        "Youth councils in municipalities",
        "Municipalities set up youth councils consulted on every local strategy.",
        "Young people are the group least present in local consultations.",
        "Municipality of Thessaloniki",
        ["civic_participation", "inclusion"],
        (
            "idea",
            "Youth councils with a real mandate",
            "Councils of 16- to 25-year-olds that must be consulted on local strategies.",
        ),
        "forum_review",
    ),
    (
        "Open data on air quality",
        "Real-time air-quality measurements from every public station, with an open API.",
        "Measurements are published as weekly reports, too late for residents to act.",
        "Municipality of Thessaloniki",
        ["transparency", "technology_innovation"],
        (
            "idea",
            "Real-time air-quality data",
            "Open API for every measuring station, with alerts for residents.",
        ),
        "forum_review",
    ),
    (
        "Plain-language laws",
        "A plain-language summary for every draft law put to consultation.",
        "Draft laws are hard to read, so few people comment on them.",
        "Ministry of Digital Governance",
        ["civic_participation", "inclusion"],
        (
            "idea",
            "Summaries of draft laws anyone can read",
            "A one-page summary in plain language for each consultation.",
        ),
        "draft",
    ),
    (
        "A single sign-on for all public services",
        "One login for every public e-service.",
        "People keep a dozen passwords for public services.",
        "Ministry of Digital Governance",
        ["technology_innovation"],
        (
            "idea",
            "One login for the state",
            "A single sign-on across public e-services.",
        ),
        "withdrawn",
    ),
]

# title, lead organisation, milestones: (activity, completion, months from plan start to end)
PAST_PLAN = [
    (
        "Open data portal for all ministries",
        "Ministry of Digital Governance",
        [
            ("Inventory of the ministries' data sets", "complete", 6),
            ("Publish 200 high-value data sets", "complete", 14),
            ("Data-quality dashboard", "substantial", 20),
            ("Training for 300 civil servants", "limited", 24),
        ],
    ),
    (
        "Transparency of municipal decisions",
        "Municipality of Thessaloniki",
        [
            ("Publish every council decision within 48 hours", "complete", 8),
            ("Searchable archive of decisions since 2015", "substantial", 18),
            ("Live streaming of council meetings", "not_started", 30),
        ],
    ),
    (
        "Protection of whistle-blowers",
        "Hellenic Data Protection Authority",
        [
            ("Draft law on whistle-blower protection", "complete", 10),
            ("Secure reporting channel", "limited", 16),
            ("Annual public report on reports received", "not_started", 22),
        ],
    ),
    (
        "Open parliament data",
        "Ministry of Digital Governance",
        [
            ("Votes of every member as open data", "substantial", 12),
            ("Committee transcripts within a week", "limited", 20),
        ],
    ),
]

INTRODUCTION = {
    "vision": (
        "An administration that publishes what it does, asks people before it decides, and "
        "answers for its results. This plan turns ideas from the forum's workshops into "
        "commitments that can be checked milestone by milestone."
    ),
    "efforts_to_date": (
        "The country joined the Open Government Partnership in 2011 and has carried out five "
        "action plans. The open data portal, the transparency programme for public decisions "
        "and the law on public consultation came out of them."
    ),
    "development": (
        "The multi-stakeholder forum, with equal numbers of government and non-government "
        "members, ran themed co-creation workshops open to everyone. Every contribution "
        "received a reasoned response, and the draft plan was put to public consultation."
    ),
}


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _person(local_part: str) -> User:
    return User.objects.get(email=demo_email(local_part))


# The Open Gov Challenge areas of the demo commitments, by title.
CHALLENGE_AREAS = {
    "Open budget data every month": ["fiscal_openness", "access_to_information"],
    "Public procurement from plan to payment": ["fiscal_openness", "anti_corruption"],
    "A register of lobbying contacts": ["anti_corruption"],
    "Participatory budgeting in Thessaloniki": ["fiscal_openness", "public_participation"],
    "Access to information requests online": ["access_to_information"],
    "Beneficial ownership of companies": ["anti_corruption"],
    "Youth councils in municipalities": ["public_participation", "gender_inclusion"],
    "Open data on air quality": ["climate_environment", "access_to_information"],
    "Plain-language laws": ["public_participation", "gender_inclusion"],
    "A single sign-on for all public services": ["digital_governance"],
    "Open data portal for all ministries": ["access_to_information", "digital_governance"],
    "Transparency of municipal decisions": ["access_to_information"],
    "Protection of whistle-blowers": ["anti_corruption", "civic_space"],
    "Open parliament data": ["access_to_information", "justice"],
    "Отворени подаци о градском буџету": ["fiscal_openness"],
    "Јавне консултације о градским прописима": ["public_participation"],
}

# The 6th plan's commitment that carries over one of the 5th plan's (by number).
CARRIED_OVER = (1, 1)


def demo_actionplans_load() -> None:
    if not ActionPlan.objects.filter(slug__in=[CONSULTATION_SLUG, IMPLEMENTATION_SLUG]).exists():
        _next_plan()
        _past_plan()
        _carried_over()
    if not ActionPlan.objects.filter(slug=CITY_PLAN_SLUG).exists():
        _city_plan()
    _civil_society_assessments()


def _carried_over() -> None:
    """The 6th plan's first commitment continues the 5th plan's first. The 6th plan's is in
    consultation by now (no longer editable), so the link is written as the secretariat
    would have set it while drafting."""
    later, earlier = CARRIED_OVER
    Commitment.objects.filter(plan__slug=CONSULTATION_SLUG, number=later).update(
        continues=Commitment.objects.get(plan__slug=IMPLEMENTATION_SLUG, number=earlier)
    )


# Civil society's assessments of the 5th plan's milestones: commitment number, milestone
# position among the commitment's, who assesses (e-mail local part), level, evidence link,
# evidence in words, note. Two disagree with the lead agency's report.
CIVIL_SOCIETY_ASSESSMENTS = [
    (
        1,
        1,
        "cso.member",
        "complete",
        "https://data.example.gov/evidence",
        "",
        "The inventory is published and matches the ministries' own registers.",
    ),
    (
        1,
        2,
        "cso.member",
        "substantial",
        "https://watchdog.example.org/open-data-audit-2025",
        "",
        "Only 143 of the 200 data sets are machine-readable; the rest are scanned PDFs.",
    ),
    (
        1,
        3,
        "maja",
        "limited",
        "",
        "The dashboard went online in June 2025 but covers two ministries out of eighteen.",
        "Most of the work remains: the other ministries' data are not measured yet.",
    ),
    (
        2,
        1,
        "cso.member",
        "complete",
        "https://data.example.gov/evidence",
        "",
        "Decisions are online within two days; we checked the council's last twenty.",
    ),
    (
        2,
        3,
        "cso.member",
        "not_started",
        "",
        "No stream on the municipality's channel since the plan began.",
        "Agreed: nothing has started.",
    ),
    (
        3,
        2,
        "cso.member",
        "limited",
        "",
        "A test version of the channel, not yet open to the public.",
        "Started, as the authority says; it is not usable yet.",
    ),
]
ASSESSMENT_PANEL = ["maja"]


def _civil_society_assessments() -> None:
    """The 5th plan's assessment panel and civil society's assessments of its milestones,
    given through the service by the national forum's non-government co-chair and by the
    panel (once: not again when the plan already has any)."""
    plan = ActionPlan.objects.filter(slug=IMPLEMENTATION_SLUG).first()
    if (
        plan is None
        or Milestone.objects.filter(commitment__plan=plan, civil_assessment__isnull=False).exists()
    ):
        return
    secretariat = _person("secretariat")
    for local_part in ASSESSMENT_PANEL:
        member = _person(local_part)
        if not plan.assessment_panel.filter(pk=member.pk).exists():
            services.plan_panel_add(plan=plan, member=member, by=secretariat)
    for number, position, who, level, url, evidence, note in CIVIL_SOCIETY_ASSESSMENTS:
        milestone = (
            Milestone.objects.filter(commitment__plan=plan, commitment__number=number)
            .select_related("commitment__plan")
            .order_by("position", "id")[position - 1]
        )
        services.milestone_assess(
            milestone=milestone,
            data={"completion": level, "evidence_url": url, "evidence": evidence, "note": note},
            by=_person(who),
        )


def _city_plan() -> None:
    """The city forum's local plan in Serbian (Cyrillic), drafted by the city's secretariat;
    its commitments wait for the city's co-chairs (the government one has signed one)."""
    city = Forum.objects.filter(slug=CITY_FORUM_SLUG).first()
    if city is None:
        return
    secretariat = _person("pancevo.secretariat")
    gov_chair = _person("pancevo.gov")
    plan = ActionPlan.objects.create(
        forum=city,
        slug=CITY_PLAN_SLUG,
        title="Локални акциони план за отворену управу Града Панчева 2026–2027",
        country="RS",
        locality="Панчево",
        number=1,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 12, 31),
        language="sr",
        version="Нацрт",
        status=ActionPlan.Status.DRAFTING,
        process=CoCreationProcess.objects.filter(slug=CITY_PROCESS_SLUG).first(),
        **CITY_INTRODUCTION,
    )
    for title, summary, lead, activities, signed in CITY_PLAN:
        commitment = services.commitment_create(
            plan=plan, title=title, co_drafters=[secretariat, gov_chair], by=secretariat
        )
        commitment = services.commitment_save(
            commitment=commitment,
            data={
                "summary": summary,
                "problem": "Грађани данас не могу да провере како Град троши и одлучује.",
                "description": summary,
                "lead_agency": _org(lead),
                "non_government_actors": "Pančevo Civic Initiative",
                "start_date": plan.period_start,
                "end_date": plan.period_end,
                "transparency": True,
                "civic_participation": True,
                "challenge_areas": CHALLENGE_AREAS.get(title, []),
            },
            base_version=commitment.version,
            by=secretariat,
        )
        for position, activity in enumerate(activities):
            services.milestone_add(
                commitment=commitment,
                data={
                    "activity": activity,
                    "deliverable": "Објављено на сајту Града",
                    "start_date": plan.period_start + timedelta(days=180 * position),
                    "end_date": plan.period_start + timedelta(days=180 * position + 170),
                    "responsible": _org(lead),
                },
                by=secretariat,
            )
        services.commitment_transition(
            commitment=commitment, to=Commitment.Status.FORUM_REVIEW, by=secretariat
        )
        if signed:
            services.commitment_sign_off(commitment=commitment, by=gov_chair)


def _next_plan() -> None:
    secretariat = _person("secretariat")
    cso_chair = _person("cso.member")
    drafters = [secretariat, _person("sofia"), _person("dimitris"), cso_chair]
    now = timezone.now()
    process = CoCreationProcess.objects.filter(slug=PROCESS_SLUG).first()
    plan = ActionPlan.objects.create(
        forum=Forum.objects.default(),
        slug=CONSULTATION_SLUG,
        title="6th National Action Plan 2026–2028",
        country="GR",
        number=6,
        period_start=date(2026, 9, 1),
        period_end=date(2028, 8, 31),
        language="en",
        version="Draft for consultation",
        status=ActionPlan.Status.CONSULTATION,
        process=process,
        consultation_opens_at=now - timedelta(days=5),
        consultation_closes_at=now + timedelta(days=16),
        **INTRODUCTION,
    )
    workshops = (
        list(Workshop.objects.filter(process=process, status=Workshop.Status.HELD))
        if process
        else []
    )
    facilitator = _person("facilitator")
    authors = [_person(p) for p in ("member", "ana", "jelena", "piotr", "milica", "rui")]
    start = plan.period_start
    for index, (title, summary, problem, lead, values, idea, status) in enumerate(NEXT_PLAN):
        contributions = []
        if workshops:
            contributions.append(
                _contribution(workshops[index % len(workshops)], authors, facilitator, idea, index)
            )
        commitment = services.commitment_create(
            plan=plan,
            title=title,
            co_drafters=[drafters[index % 2], drafters[2 + index % 2]],
            contributions=contributions,
            by=secretariat,
        )
        commitment = services.commitment_save(
            commitment=commitment,
            data={
                "summary": summary,
                "problem": problem,
                "description": (
                    f"{summary} The lead agency publishes a plan in the first three months, "
                    "works with the civil-society co-drafters on each step, and reports "
                    "progress to the forum twice a year."
                ),
                "solution": "Open, timely information lets people take part and hold the "
                "administration to account.",
                "values_relevance": "See the OGP values ticked: the commitment makes "
                "information public and gives people a way to act on it.",
                "lead_agency": _org(lead),
                "non_government_actors": "Open Knowledge Hellas Network (co-drafter); "
                "University of Patras Governance Lab (evaluation)",
                "contact_name": "Eleni Papadopoulou",
                "contact_title": "Head of the open-government unit",
                "contact_department": "Secretariat of the forum",
                "contact_email": "opengov@example.gov",
                "start_date": start,
                "end_date": plan.period_end,
                "policy_areas": "Open data, Fiscal openness" if index % 2 else "Civic space",
                "challenge_areas": CHALLENGE_AREAS.get(title, []),
                **dict.fromkeys(values, True),
            },
            base_version=commitment.version,
            by=drafters[2 + index % 2],
        )
        for position in range(3):
            services.milestone_add(
                commitment=commitment,
                data={
                    "activity": [
                        "Publish a plan and timetable with the co-drafters",
                        "Launch the first version and collect feedback",
                        "Evaluate with the forum and publish the results",
                    ][position],
                    "deliverable": ["A published plan", "A public service", "An evaluation"][
                        position
                    ],
                    "start_date": start + timedelta(days=120 * position),
                    "end_date": start + timedelta(days=120 * position + 110),
                    "responsible": _org(lead),
                },
                by=secretariat,
            )
        if status == "draft":
            continue
        if status == "withdrawn":
            services.commitment_transition(
                commitment=commitment,
                to=Commitment.Status.WITHDRAWN,
                reason="Merged into the national digital strategy, which already covers it; "
                "the forum follows it there.",
                by=secretariat,
            )
            continue
        services.commitment_transition(
            commitment=commitment, to=Commitment.Status.FORUM_REVIEW, by=secretariat
        )
        if status == "validated":
            services.commitment_sign_off(commitment=commitment, by=secretariat)
            services.commitment_sign_off(commitment=commitment, by=cso_chair)
        elif index % 2 == 0:
            services.commitment_sign_off(commitment=commitment, by=cso_chair)
        commitment.refresh_from_db()
        _consultation(commitment, authors, secretariat, index)


def _contribution(workshop, authors, facilitator, idea, index) -> Contribution:
    kind, title, text = idea
    # Posted during a past session: recorded as history, not through today's rules.
    contribution = Contribution.objects.create(
        workshop=workshop, author=authors[index % len(authors)], kind=kind, title=title, text=text
    )
    contribution_publish(contribution=contribution, by=facilitator)
    contribution.created_at = workshop.starts_at + timedelta(minutes=20 + 7 * index)
    contribution.save(update_fields=["created_at"])
    return contribution


def _past_idea() -> Contribution | None:
    """member@'s idea at the 5th plan's co-creation workshop (May 2023), published, with
    the facilitator's reasoned response: taken into a commitment."""
    facilitator, member = _person("facilitator"), _person("member")
    process = CoCreationProcess.objects.create(
        forum=Forum.objects.default(),
        slug=PAST_PROCESS_SLUG,
        title="Co-creation of the 5th National Action Plan",
        description="The workshops where the 5th plan's commitments were proposed, 2023.",
        created_at=datetime(2023, 3, 1, tzinfo=UTC),
    )
    starts_at = datetime(2023, 5, 18, 10, tzinfo=UTC)
    workshop = Workshop.objects.create(
        process=process,
        kind=Workshop.Kind.COCREATION,
        title="Ideas for the 5th plan: open data",
        description="A facilitated session on open data for the 5th National Action Plan.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        time_zone="Europe/Athens",
        venue="Athens, Ministry of Digital Governance, room 2",
        language="en",
        status=Workshop.Status.HELD,
        capacity=20,
        government_quota=10,
        non_government_quota=10,
        announced_at=starts_at - timedelta(days=21),
        created_at=starts_at - timedelta(days=30),
    )
    workshop.facilitators.add(facilitator)
    Registration.objects.create(
        workshop=workshop,
        member=member,
        stakeholder_group=member.organisation.sector.stakeholder_group,
        seat_group=member.organisation.sector.stakeholder_group,
        status=Registration.Status.CONFIRMED,
        attendance=Registration.Attendance.ATTENDED,
        created_at=starts_at - timedelta(days=14),
        confirmed_at=starts_at - timedelta(days=14),
    )
    Minutes.objects.create(
        workshop=workshop,
        text="<p>Twelve ideas were posted; the forum took three into draft commitments.</p>",
        published_at=workshop.ends_at + timedelta(days=5),
    )
    kind, title, text = PAST_IDEA
    contribution = Contribution.objects.create(
        workshop=workshop, author=member, kind=kind, title=title, text=text
    )
    contribution_publish(contribution=contribution, by=facilitator)
    Contribution.objects.filter(pk=contribution.pk).update(
        created_at=starts_at + timedelta(minutes=40)
    )
    response = contribution_respond(
        contribution=contribution,
        disposition="taken_into_commitment",
        explanation="The forum takes it into the plan's commitment on an open data portal for "
        "all ministries; the Ministry of Digital Governance leads it.",
        by=facilitator,
    )
    type(response).objects.filter(pk=response.pk).update(
        responded_at=workshop.ends_at + timedelta(days=7)
    )
    return contribution


def _consultation(commitment, authors, secretariat, index) -> None:
    comments = [
        "Please add a milestone on training the civil servants who will publish the data.",
        "The deadline of the second milestone looks too short for small municipalities.",
    ]
    for number, text in enumerate(comments[: 1 + index % 2]):
        # Comments are open while the consultation runs; the demo plan's is open now.
        comment = services.consultation_comment_post(
            commitment=commitment, author=authors[(index + number) % len(authors)], text=text
        )
        if number == 0 and index % 3 != 2:
            services.consultation_comment_respond(
                comment=comment,
                disposition="taken" if index % 2 else "partly_taken",
                response="Thank you: a training milestone is added to the final text.",
                by=secretariat,
            )


def _past_plan() -> None:
    secretariat = _person("secretariat")
    cso_chair = _person("cso.member")
    plan = ActionPlan.objects.create(
        forum=Forum.objects.default(),
        slug=IMPLEMENTATION_SLUG,
        title="5th National Action Plan 2023–2025",
        country="GR",
        number=5,
        period_start=date(2023, 9, 1),
        period_end=date(2025, 12, 31),
        language="en",
        version="Adopted",
        status=ActionPlan.Status.DRAFTING,
        **INTRODUCTION,
    )
    idea = _past_idea()
    for index, (title, lead, milestones) in enumerate(PAST_PLAN):
        commitment = services.commitment_create(
            plan=plan,
            title=title,
            co_drafters=[secretariat, cso_chair],
            contributions=[idea] if index == 0 and idea else [],
            by=secretariat,
        )
        services.commitment_save(
            commitment=commitment,
            data={
                "summary": f"{title}: carried over from the forum's priorities of 2023.",
                "problem": "Information the public needs is not published, or too late.",
                "description": "The lead agency publishes the information as open data, on a "
                "timetable agreed with the forum.",
                "transparency": True,
                "public_accountability": True,
                "lead_agency": _org(lead),
                "start_date": plan.period_start,
                "end_date": plan.period_end,
                "challenge_areas": CHALLENGE_AREAS.get(title, []),
            },
            base_version=commitment.version,
            by=secretariat,
        )
        for activity, _completion, months in milestones:
            services.milestone_add(
                commitment=commitment,
                data={
                    "activity": activity,
                    "deliverable": activity,
                    "start_date": plan.period_start,
                    "end_date": plan.period_start + timedelta(days=30 * months),
                    "responsible": _org(lead),
                },
                by=secretariat,
            )
        services.commitment_transition(
            commitment=commitment, to=Commitment.Status.FORUM_REVIEW, by=secretariat
        )
        services.commitment_sign_off(commitment=commitment, by=secretariat)
        services.commitment_sign_off(commitment=commitment, by=cso_chair)
        services.commitment_transition(
            commitment=commitment, to=Commitment.Status.INCLUDED, by=secretariat
        )
        for milestone, (_activity, completion, _months) in zip(
            commitment.milestones.order_by("position"), milestones, strict=True
        ):
            services.milestone_progress_update(
                milestone=milestone,
                data={
                    "completion": completion,
                    "progress_note": {
                        "complete": "Done and published.",
                        "substantial": "Most of the work is done; publication is pending.",
                        "limited": "Started late; the agency asked the forum for help.",
                        "not_started": "",
                    }[completion],
                    "evidence_url": "https://data.example.gov/evidence"
                    if completion == "complete"
                    else "",
                },
                by=secretariat,
            )
            if completion == "complete":
                Milestone.objects.filter(pk=milestone.pk).update(
                    completed_on=milestone.end_date - timedelta(days=5)
                )
    first = plan.commitments.order_by("number").first()
    first.irm_verifiable = True
    first.irm_open_government_lens = True
    first.irm_potential_results = Commitment.PotentialResults.SUBSTANTIAL
    first.irm_completion = Commitment.IrmCompletion.SUBSTANTIAL
    first.irm_early_results = Commitment.EarlyResults.MAJOR
    first.ogp_id = "GR0101"
    first.save()
    evidence = first.milestones.order_by("position").first()
    services.document_add(
        plan=plan,
        upload=services.DocumentUpload(
            kind=Document.Kind.EVIDENCE,
            title="Inventory of the ministries' data sets (spreadsheet)",
            dated=date(2024, 2, 26),
            file=ContentFile(
                b"ministry,data sets\nDigital Governance,41\nFinance,37\n", name="inventory.csv"
            ),
            milestone=evidence,
        ),
        by=secretariat,
    )
    for kind, title, dated in [
        (Document.Kind.ADOPTED_PLAN, "The adopted 5th National Action Plan", date(2023, 8, 28)),
        (Document.Kind.MINUTES, "Minutes of the forum meeting of March 2025", date(2025, 3, 14)),
        (Document.Kind.PROGRESS_REPORT, "Mid-term self-assessment", date(2024, 10, 1)),
    ]:
        services.document_add(
            plan=plan,
            upload=services.DocumentUpload(
                kind=kind, title=title, dated=dated, url="https://opengov.example.gov/documents"
            ),
            by=secretariat,
        )
    plan.status = ActionPlan.Status.IMPLEMENTATION
    plan.save(update_fields=["status"])


def demo_actionplans_remove() -> None:
    for plan in ActionPlan.objects.filter(slug__in=PLAN_SLUGS):
        for document in plan.documents.exclude(file=""):
            document.file.delete(save=False)
        plan.delete()
    Workshop.objects.filter(process__slug=PAST_PROCESS_SLUG).delete()
    CoCreationProcess.objects.filter(slug=PAST_PROCESS_SLUG).delete()
