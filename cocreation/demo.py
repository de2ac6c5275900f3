"""Demo co-creation: a process with four themed workshops, past and upcoming, and
registrations from both stakeholder groups. Idempotent."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cocreation.models import CoCreationProcess, Contribution, Registration, Theme, Workshop
from cocreation.services import (
    contribution_comment,
    contribution_publish,
    contribution_respond,
    minutes_save,
    workshop_register,
)
from members.demo import CITY_SLUG as CITY_FORUM_SLUG
from members.demo import DEMO_EMAIL_DOMAIN
from members.models import Forum, Organisation, StakeholderGroup, User

PROCESS_SLUG = "demo-2nd-national-action-plan"
CITY_PROCESS_SLUG = "demo-pancevo-local-action-plan"
CITY_WORKSHOP_TITLE = "Отворени подаци Панчева: шта грађани траже"
PORTUGUESE_PROCESS_SLUG = "demo-dados-abertos-municipais"
PORTUGUESE_WORKSHOP_TITLE = "Dados abertos nos municípios: o que os cidadãos pedem"

# title, theme, kind, days from today, time zone, venue, online link, held
DEMO_WORKSHOPS = [
    (
        "Opening the budget: fiscal transparency",
        "Fiscal transparency",
        "cocreation",
        -40,
        "Europe/Athens",
        "Athens, Ministry of Digital Governance, room 2",
        "",
        True,
    ),
    (
        "Forum meeting: spring session",
        "Forum governance",
        "forum_meeting",
        -10,
        "Europe/Lisbon",
        "",
        "https://meet.example.org/forum-spring",
        True,
    ),
    (
        "Open data and access to information",
        "Open data",
        "cocreation",
        12,
        "Europe/Athens",
        "Thessaloniki City Hall, hall B",
        "https://meet.example.org/open-data",
        False,
    ),
    (
        "Citizen participation in local government",
        "Civic participation",
        "cocreation",
        26,
        "Europe/Warsaw",
        "Gdańsk, European Solidarity Centre",
        "",
        False,
    ),
]


def _at(days: int, zone: str) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(16, 0), tzinfo=zoneinfo.ZoneInfo(zone))


def demo_cocreation_load() -> None:
    process, _created = CoCreationProcess.objects.get_or_create(
        forum=Forum.objects.default(),
        slug=PROCESS_SLUG,
        defaults={
            "title": "Co-creation of the 6th National Action Plan",
            "description": (
                "Themed workshops where public bodies and civil society identify challenges "
                "and propose commitments for the 6th National Action Plan."
            ),
        },
    )
    demo_people = list(
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", organisation__isnull=False)
        .select_related("organisation__sector")
        .order_by("id")
    )
    facilitator = User.objects.filter(email=f"facilitator@{DEMO_EMAIL_DOMAIN}").first()
    partners = list(Organisation.objects.filter(sector__slug="civil-society")[:2])
    for title, theme_name, kind, days, zone, venue, link, held in DEMO_WORKSHOPS:
        theme, _created = Theme.objects.get_or_create(process=process, name=theme_name)
        starts_at = _at(days, zone)
        workshop, created = Workshop.objects.get_or_create(
            process=process,
            title=title,
            defaults={
                "theme": theme,
                "kind": kind,
                "description": f"A facilitated session on {theme_name.lower()}.",
                "agenda": "1. Welcome and context\n2. Challenges\n3. Ideas for commitments",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=3),
                "time_zone": zone,
                "venue": venue,
                "online_link": link,
                "accessibility": "Step-free access; captions on request.",
                "status": Workshop.Status.PUBLISHED,
                "government_quota": 6,
                "non_government_quota": 6,
                "capacity": 12,
                "quota_release_hours": 48,
                # Newcomers keep a third of the seats of the local-participation workshop.
                "first_time_seats": 4 if theme_name == "Civic participation" else 0,
            },
        )
        if not created:
            continue
        workshop.facilitating_organisations.set(partners)
        if facilitator:
            workshop.facilitators.add(facilitator)
        participants = [p for p in demo_people if p != facilitator]
        if held:
            _past_registrations(workshop, participants)
            workshop.status = Workshop.Status.HELD
            workshop.save(update_fields=["status"])
            _contributions(workshop, participants, facilitator)
            _minutes(workshop, facilitator)
        else:
            for member in participants[: 8 if days < 20 else 14]:
                workshop_register(workshop=workshop, member=member)
    _city_workshop(demo_people)
    _portuguese_workshop(demo_people)


def _city_workshop(demo_people) -> None:
    """The city forum's own process and workshop, in Serbian (Cyrillic), in Pančevo."""
    city = Forum.objects.filter(slug=CITY_FORUM_SLUG).first()
    if city is None:
        return
    process, _created = CoCreationProcess.objects.get_or_create(
        forum=city,
        slug=CITY_PROCESS_SLUG,
        defaults={
            "title": "Израда локалног акционог плана Панчева 2026–2027",
            "description": (
                "Радионице на којима Град Панчево и локалне организације цивилног друштва "
                "заједно бирају обавезе локалног акционог плана."
            ),
        },
    )
    starts_at = _at(9, "Europe/Belgrade")
    workshop, created = Workshop.objects.get_or_create(
        process=process,
        title=CITY_WORKSHOP_TITLE,
        defaults={
            "kind": Workshop.Kind.COCREATION,
            "description": "Које градске податке објавити прво и у ком облику.",
            "agenda": "1. Добродошлица\n2. Шта подаци данас показују\n3. Предлози обавеза",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "time_zone": "Europe/Belgrade",
            "venue": "Панчево, Градска кућа, сала 1",
            "language": "sr",
            "accessibility": "Улаз без степеница.",
            "status": Workshop.Status.PUBLISHED,
            "government_quota": 5,
            "non_government_quota": 5,
            "capacity": 10,
        },
    )
    if created:
        for member in demo_people:
            if member.organisation.country == "RS" and not member.email.startswith("pancevo."):
                workshop_register(workshop=workshop, member=member)


# Written in Portuguese, for machine translation (core/translation/): kind, author (e-mail
# local part), title, text, (disposition, explanation), comments (author, text).
# tests/support/libretranslate_stub.py holds their Greek translations: keep them in step.
DEMO_PORTUGUESE_CONTRIBUTIONS = [
    (
        "challenge",
        "ana",
        "Os orçamentos municipais não são publicados em formato aberto",
        "As câmaras publicam os orçamentos em PDF digitalizado, e ninguém consegue reutilizar "
        "os números sem os voltar a escrever.",
        (
            "under_consideration",
            "A proposta foi integrada no compromisso sobre dados orçamentais abertos.",
        ),
        [],
    ),
    (
        "idea",
        "ines",
        "Um portal único de dados para todas as câmaras",
        "Propomos um catálogo comum, com os mesmos formatos e um dicionário de dados, para "
        "comparar os municípios.",
        ("under_consideration", "Em análise com a Agência para a Modernização Administrativa."),
        [("rui", "Concordo, e os dados devem ser atualizados todos os meses.")],
    ),
    (
        "idea",
        "rui",
        "Formação em dados para as associações locais",
        "As associações precisam de formação prática para usar os dados abertos no seu trabalho.",
        (
            "not_taken_forward",
            "Fica fora do âmbito deste plano; o fórum acompanha a proposta no programa nacional "
            "de formação.",
        ),
        [],
    ),
]


def _portuguese_workshop(demo_people) -> None:
    """A held workshop of the national forum whose contributions are written in
    Portuguese, facilitated by João (Portuguese) and Nikos (Greek); Dimitris (Greek) took
    part: a Greek reader meets them machine-translated when translation is on."""
    people = {person.email.split("@")[0]: person for person in demo_people}
    facilitators = [people[name] for name in ("facilitator", "nikos") if name in people]
    participants = [people[name] for name in ("ana", "rui", "ines", "dimitris") if name in people]
    if not facilitators or len(participants) < 4:
        return
    process, _created = CoCreationProcess.objects.get_or_create(
        forum=Forum.objects.default(),
        slug=PORTUGUESE_PROCESS_SLUG,
        defaults={
            "title": "Dados abertos municipais",
            "description": "Sessões em português sobre os dados abertos das câmaras municipais.",
        },
    )
    starts_at = _at(-5, "Europe/Lisbon")
    workshop, created = Workshop.objects.get_or_create(
        process=process,
        title=PORTUGUESE_WORKSHOP_TITLE,
        defaults={
            "kind": Workshop.Kind.COCREATION,
            "description": "Que dados municipais publicar primeiro, e em que formato.",
            "agenda": "1. Boas-vindas\n2. Os dados de hoje\n3. Propostas de compromissos",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "time_zone": "Europe/Lisbon",
            "venue": "Lisboa, Biblioteca Municipal, sala 3",
            "language": "pt",
            "status": Workshop.Status.PUBLISHED,
            "government_quota": 5,
            "non_government_quota": 5,
            "capacity": 10,
        },
    )
    if not created:
        return
    workshop.facilitators.add(*facilitators)
    _past_registrations(workshop, participants)
    workshop.status = Workshop.Status.HELD
    workshop.save(update_fields=["status"])
    facilitator = facilitators[0]
    for index, (kind, author, title, text, response, comments) in enumerate(
        DEMO_PORTUGUESE_CONTRIBUTIONS
    ):
        contribution = Contribution.objects.create(
            workshop=workshop, author=people[author], kind=kind, title=title, text=text
        )
        contribution_publish(contribution=contribution, by=facilitator)
        contribution.created_at = starts_at + timedelta(minutes=20 + 15 * index)
        contribution.save(update_fields=["created_at"])
        for commenter, comment in comments:
            contribution_comment(contribution=contribution, author=people[commenter], text=comment)
        disposition, explanation = response
        contribution_respond(
            contribution=contribution,
            disposition=disposition,
            explanation=explanation,
            by=facilitator,
        )


# kind, title, text, (disposition, explanation, commitment) or None
DEMO_CONTRIBUTIONS = [
    (
        "challenge",
        "Budget documents are scanned PDFs",
        "Journalists and researchers cannot reuse the figures without retyping them.",
        (
            "taken_into_commitment",
            "This became the core of the open budget commitment.",
            "Commitment 2: Open budget data",
        ),
    ),
    (
        "idea",
        "Monthly budget execution as open data",
        "Publish execution data every month as CSV with a data dictionary.",
        ("under_consideration", "The Ministry of Finance is assessing the monthly cycle.", ""),
    ),
    (
        "idea",
        "A citizens' budget in plain language",
        "A short guide to the budget in plain language, in print and online.",
        (
            "not_taken_forward",
            "Already planned in the existing fiscal transparency strategy; "
            "the forum will follow it there.",
            "",
        ),
    ),
    (
        "challenge",
        "Local budgets are hard to compare",
        "Municipalities use different formats.",
        None,
    ),
]


def _contributions(workshop, participants, facilitator) -> None:
    for index, (kind, title, text, response) in enumerate(DEMO_CONTRIBUTIONS):
        # Posted during a past session: recorded as history, not through today's rules.
        contribution = Contribution.objects.create(
            workshop=workshop,
            author=participants[index % len(participants)],
            kind=kind,
            title=title,
            text=text,
        )
        contribution_publish(contribution=contribution, by=facilitator)
        # Posted during the session, not today.
        contribution.created_at = workshop.starts_at + timedelta(minutes=30 + 10 * index)
        contribution.save(update_fields=["created_at"])
        if response:
            disposition, explanation, commitment = response
            contribution_respond(
                contribution=contribution,
                disposition=disposition,
                explanation=explanation,
                commitment_reference=commitment,
                by=facilitator,
            )


def _minutes(workshop, facilitator) -> None:
    registrations = list(workshop.registrations.order_by("id"))
    for index, registration in enumerate(registrations):
        registration.attendance = "no_show" if index % 5 == 4 else "attended"
    Registration.objects.bulk_update(registrations, ["attendance"])
    minutes_save(
        workshop=workshop,
        text=(
            "<h2>Summary</h2><p>Participants from public bodies and civil society identified "
            "four challenges and ideas. Three received a reasoned response during the session."
            "</p><h2>Next steps</h2><ul><li>The secretariat drafts commitment 2 with the "
            "co-drafters.</li><li>The next workshop follows up on local budgets.</li></ul>"
        ),
        publish=True,
        by=facilitator,
    )


def _past_registrations(workshop: Workshop, participants) -> None:
    with transaction.atomic():
        Registration.objects.bulk_create(
            [
                Registration(
                    workshop=workshop,
                    member=member,
                    organisation_id=member.organisation_id,  # bulk_create skips save()
                    stakeholder_group=member.organisation.sector.stakeholder_group,
                    seat_group=member.organisation.sector.stakeholder_group,
                    status=Registration.Status.CONFIRMED,
                    agrees_to_be_named=index % 3 != 0,
                    created_at=workshop.starts_at - timedelta(days=10),
                    confirmed_at=workshop.starts_at - timedelta(days=10),
                )
                for index, member in enumerate(participants)
                if _fits(workshop, participants[:index], member)
            ]
        )


def _fits(workshop, before, member) -> bool:
    group = member.organisation.sector.stakeholder_group
    taken = sum(1 for m in before if m.organisation.sector.stakeholder_group == group)
    return taken < workshop.quota(StakeholderGroup(group))


def demo_cocreation_remove() -> None:
    slugs = [PROCESS_SLUG, CITY_PROCESS_SLUG, PORTUGUESE_PROCESS_SLUG]
    Workshop.objects.filter(process__slug__in=slugs).delete()
    CoCreationProcess.objects.filter(slug__in=slugs).delete()
