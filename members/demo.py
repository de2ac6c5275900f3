"""Demo members for `manage.py demo_data`: sectors, organisations in several countries, and
an account for every role. Idempotent: running it again changes nothing."""

import functools
from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from members import roles
from members.defaults import DEFAULT_SECTORS
from members.models import (
    Forum,
    ForumRole,
    ForumSeat,
    Organisation,
    OrganisationChange,
    Sector,
    User,
)
from members.voices import gender_canonical

DEMO_EMAIL_DOMAIN = "demo.example.org"
DEMO_PASSWORD = "opengov-demo"  # noqa: S105 - printed for the demo, never used in production

# name, sector slug, country, city, website
DEMO_ORGANISATIONS = [
    ("Ministry of Digital Governance", "national-public-body", "GR", "Athens", ""),
    ("Municipality of Thessaloniki", "regional-local-government", "GR", "Thessaloniki", ""),
    ("Hellenic Data Protection Authority", "independent-authority", "GR", "Athens", ""),
    ("Open Knowledge Hellas Network", "civil-society", "GR", "Athens", ""),
    ("University of Patras Governance Lab", "academia", "GR", "Patras", ""),
    ("Athens Civic Tech Cooperative", "private-sector", "GR", "Athens", ""),
    ("Agency for Administrative Modernisation", "national-public-body", "PT", "Lisbon", ""),
    ("Porto City Council", "regional-local-government", "PT", "Porto", ""),
    ("Transparência Cidadã", "civil-society", "PT", "Lisbon", ""),
    ("Coimbra Centre for Democracy Studies", "academia", "PT", "Coimbra", ""),
    ("Lisbon Investigative Journalism Desk", "media", "PT", "Lisbon", ""),
    ("Ministry of Digital Transformation", "national-public-body", "UA", "Kyiv", ""),
    ("Lviv City Council", "regional-local-government", "UA", "Lviv", ""),
    ("Open Budget Ukraine", "civil-society", "UA", "Kyiv", ""),
    ("Kharkiv Institute of Public Policy", "academia", "UA", "Kharkiv", ""),
    ("Public Procurement Watch", "civil-society", "UA", "Odesa", ""),
    ("Office for IT and eGovernment", "national-public-body", "RS", "Belgrade", ""),
    ("City of Novi Sad", "regional-local-government", "RS", "Novi Sad", ""),
    (
        "Commissioner for Information of Public Importance",
        "independent-authority",
        "RS",
        "Belgrade",
        "",
    ),
    ("Belgrade Open Data Initiative", "civil-society", "RS", "Belgrade", ""),
    ("Chancellery of the Prime Minister", "national-public-body", "PL", "Warsaw", ""),
    ("City of Gdańsk", "regional-local-government", "PL", "Gdańsk", ""),
    ("Watchdog Civic Network", "civil-society", "PL", "Warsaw", ""),
    ("Kraków Centre for Participation Research", "academia", "PL", "Kraków", ""),
    ("Polish Civic Software Foundation", "private-sector", "PL", "Wrocław", ""),
    ("Ministry of Public Administration", "national-public-body", "HR", "Zagreb", ""),
    ("Zagreb Citizens' Budget Forum", "civil-society", "HR", "Zagreb", ""),
    ("Ljubljana Open Government Institute", "academia", "SI", "Ljubljana", ""),
    ("Independent Citizens for Open Municipalities", "independent-citizen", "GR", "Heraklion", ""),
    ("Balkan Data Journalism Lab", "media", "RS", "Niš", ""),
    ("City of Pančevo", "regional-local-government", "RS", "Pančevo", ""),
    ("Pančevo Civic Initiative", "civil-society", "RS", "Pančevo", ""),
]

# e-mail local part, full name, role, organisation (index in DEMO_ORGANISATIONS), language
DEMO_PEOPLE = [
    ("secretariat", "Eleni Papadopoulou", roles.SECRETARIAT, 0, "el"),
    ("facilitator", "João Martins", roles.FACILITATOR, 8, "pt"),
    ("member", "Olena Kovalenko", roles.MEMBER, 13, "uk"),
    ("gov.member", "Marko Petrović", roles.MEMBER, 16, "sr"),
    ("cso.member", "Agnieszka Nowak", roles.MEMBER, 22, "pl"),
    ("dimitris", "Dimitris Georgiou", roles.MEMBER, 1, "el"),
    ("sofia", "Sofia Alexiou", roles.MEMBER, 3, "el"),
    ("nikos", "Nikos Karamanlis", roles.FACILITATOR, 4, "el"),
    ("ana", "Ana Ferreira", roles.MEMBER, 6, "pt"),
    ("rui", "Rui Sousa", roles.MEMBER, 7, "pt"),
    ("ines", "Inês Carvalho", roles.MEMBER, 9, "pt"),
    ("andriy", "Andriy Shevchenko", roles.MEMBER, 11, "uk"),
    ("iryna", "Iryna Bondarenko", roles.MEMBER, 12, "uk"),
    ("taras", "Taras Melnyk", roles.FACILITATOR, 14, "uk"),
    ("jelena", "Jelena Jovanović", roles.MEMBER, 17, "sr"),
    ("milica", "Milica Nikolić", roles.MEMBER, 19, "sr"),
    ("piotr", "Piotr Wiśniewski", roles.MEMBER, 20, "pl"),
    ("katarzyna", "Katarzyna Zielińska", roles.MEMBER, 21, "pl"),
    ("tomasz", "Tomasz Lewandowski", roles.MEMBER, 24, "pl"),
    ("ivana", "Ivana Horvat", roles.MEMBER, 25, "en"),
    ("luka", "Luka Kovačević", roles.MEMBER, 26, "en"),
    ("maja", "Maja Novak", roles.MEMBER, 27, "en"),
    ("dragana", "Dragana Ilić", roles.MEMBER, 18, "sr"),
    ("nemanja", "Nemanja Stojanović", roles.MEMBER, 29, "sr"),
    ("giorgos", "Giorgos Vlachos", roles.MEMBER, 28, "el"),
]

# The gender the demo's people gave at sign-up (members.voices): a common answer, or their own
# words (typed in their language: counted as the common answer they name). Those left out
# gave none. Varied, so that the balance pages show groups and the small-group rule.
DEMO_GENDERS = {
    "secretariat": ("woman", ""),
    "facilitator": ("man", ""),
    "member": ("", "жінка"),
    "gov.member": ("man", ""),
    "cso.member": ("", "Kobieta"),
    "dimitris": ("man", ""),
    "sofia": ("", "Γυναίκα"),
    "nikos": ("man", ""),
    "ana": ("woman", ""),
    "rui": ("prefer_not_to_say", ""),
    "ines": ("", "mulher"),
    "andriy": ("man", ""),
    "iryna": ("woman", ""),
    "taras": ("non_binary", ""),
    "jelena": ("woman", ""),
    "milica": ("woman", ""),
    "piotr": ("", "mężczyzna"),
    "katarzyna": ("woman", ""),
    "ivana": ("woman", ""),
    "luka": ("self_described", "genderfluid"),
    "maja": ("woman", ""),
    "dragana": ("woman", ""),
    "giorgos": ("man", ""),
    "pancevo.secretariat": ("woman", ""),
    "pancevo.gov": ("man", ""),
}


# The forums of the demo besides the national one (the default forum): slug, name, kind,
# country, city or region, parent slug, description
NATIONAL_SLUG = "national"
CITY_SLUG = "pancevo"
WORKING_GROUP_SLUG = "open-data-working-group"
DEMO_FORUMS = [
    (
        CITY_SLUG,
        "Pančevo Open Government Forum",
        Forum.Kind.LOCAL,
        "RS",
        "Pančevo",
        None,
        "Градски форум за отворену управу: службеници Града Панчева и локалне организације "
        "цивилног друштва пишу локални акциони план и стратегију отворених података.",
    ),
    (
        WORKING_GROUP_SLUG,
        "Open Data Working Group",
        Forum.Kind.WORKING_GROUP,
        "GR",
        "",
        NATIONAL_SLUG,
        "A thematic working group of the national forum: it prepares the open-data "
        "commitments and follows their milestones.",
    ),
]

# People who hold roles in the other forums: e-mail local part, name, forum slug, role,
# organisation (index), language
DEMO_FORUM_PEOPLE = [
    ("pancevo.secretariat", "Ana Stanković", CITY_SLUG, roles.SECRETARIAT, 30, "sr"),
    ("pancevo.gov", "Vladimir Marković", CITY_SLUG, roles.MEMBER, 30, "sr"),
    ("pancevo.cso", "Jovana Pavlović", CITY_SLUG, roles.MEMBER, 31, "sr"),
]

# Each forum's body: forum slug, local part of the seat holder, of the alternate, co-chair
DEMO_FORUM_SEATS = [
    (CITY_SLUG, "pancevo.gov", "pancevo.secretariat", True),
    (CITY_SLUG, "pancevo.cso", "milica", True),
    (CITY_SLUG, "gov.member", "jelena", False),
    (CITY_SLUG, "nemanja", None, False),
    (WORKING_GROUP_SLUG, "dimitris", None, True),
    (WORKING_GROUP_SLUG, "sofia", "giorgos", True),
    (WORKING_GROUP_SLUG, "ana", None, False),
]

# Facilitators of the working group (their role in the national forum stays).
DEMO_WORKING_GROUP_FACILITATORS = ["nikos"]

# The organisation (index) the demo member asked to move to: a ministry.
DEMO_ORGANISATION_CHANGE_TO = 11

# People who signed up and wait for the secretariat: e-mail local part, name, organisation
# (index), language, status, question asked
DEMO_WAITING = [
    ("new.official", "Kostas Dimitriou", 2, "el", "pending", ""),
    ("new.researcher", "Marta Kowalczyk", 23, "pl", "pending", ""),
    (
        "new.journalist",
        "Pedro Almeida",
        10,
        "pt",
        "information_requested",
        "Which newsroom do you write for, and in which role?",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


def _ensure_sectors() -> dict[str, Sector]:
    for slug, name, group, position in DEFAULT_SECTORS:
        Sector.objects.get_or_create(
            slug=slug, defaults={"name": name, "stakeholder_group": group, "position": position}
        )
    return {sector.slug: sector for sector in Sector.objects.all()}


def _forums() -> dict[str, Forum]:
    """The national forum (the portal's default forum, named for the demo when it still has
    the name the migration gave it), a city forum and a working group of the national one."""
    national = Forum.objects.default()
    if national.kind == Forum.Kind.NATIONAL and not national.country:
        national.name = "National Open Government Forum"
        national.slug = NATIONAL_SLUG
        national.country = "GR"
        national.description = (
            "The country's multi-stakeholder forum: government and civil society in equal "
            "numbers co-create the national action plan and follow it to completion."
        )
        national.save()
    forums = {NATIONAL_SLUG: national, national.slug: national}
    for slug, name, kind, country, region, parent, description in DEMO_FORUMS:
        forums[slug], _created = Forum.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "region": region,
                "parent": forums[parent] if parent else None,
                "description": description,
            },
        )
    return forums


def _demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once for every demo login (the same printed password): hashing it
    for each of them took a quarter of a second each, 8 of `make run`'s first 24 seconds."""
    return _hash_once(DEMO_PASSWORD, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_once(password: str, hashers: tuple) -> str:
    return make_password(password)


def _ensure_user(
    *, email, full_name, organisation, language, role=None, forum=None, **flags
) -> User:
    choice, words = DEMO_GENDERS.get(email.split("@")[0], ("", ""))
    flags = {
        "gender": gender_canonical(choice=choice, text=words),
        "self_described_gender": words,
        **flags,
    }
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "organisation": organisation,
            "preferred_language": language,
            **{"membership_status": "approved", **flags},
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role:
        # The role in the forum (the default one unless told); the group gives the
        # administration's permissions.
        user.groups.add(Group.objects.get(name=role))
        if role in ForumRole.Role.values:
            ForumRole.objects.get_or_create(
                forum=forum or Forum.objects.default(), member=user, role=role
            )
    return user


@transaction.atomic
def demo_members_load() -> list[DemoLogin]:
    sectors = _ensure_sectors()
    organisations = []
    for name, sector_slug, country, city, website in DEMO_ORGANISATIONS:
        organisation, _created = Organisation.objects.get_or_create(
            name=name,
            country=country,
            defaults={
                "sector": sectors[sector_slug],
                "city": city,
                "website": website,
                "verified": True,
            },
        )
        organisations.append(organisation)

    forums = _forums()
    logins = [DemoLogin(demo_email("admin"), DEMO_PASSWORD, "site administrator")]
    _ensure_user(
        email=demo_email("admin"),
        full_name="Site Administrator",
        organisation=None,
        language="en",
        is_staff=True,
        is_superuser=True,
    )
    for local_part, full_name, role, organisation_index, language in DEMO_PEOPLE:
        _ensure_user(
            email=demo_email(local_part),
            full_name=full_name,
            organisation=organisations[organisation_index],
            language=language,
            role=role,
        )
        if local_part == roles.MEMBER:
            logins.append(DemoLogin(demo_email(local_part), DEMO_PASSWORD, role))
        elif local_part in (roles.SECRETARIAT, roles.FACILITATOR):
            logins.append(
                DemoLogin(
                    demo_email(local_part), DEMO_PASSWORD, f"{role} of {forums[NATIONAL_SLUG]}"
                )
            )
    for local_part, full_name, organisation_index, language, status, question in DEMO_WAITING:
        _ensure_user(
            email=demo_email(local_part),
            full_name=full_name,
            organisation=organisations[organisation_index],
            language=language,
            membership_status=status,
            membership_note=question,
        )
    for local_part, full_name, slug, role, organisation_index, language in DEMO_FORUM_PEOPLE:
        _ensure_user(
            email=demo_email(local_part),
            full_name=full_name,
            organisation=organisations[organisation_index],
            language=language,
            role=role,
            forum=forums[slug],
        )
    for local_part in DEMO_WORKING_GROUP_FACILITATORS:
        ForumRole.objects.get_or_create(
            forum=forums[WORKING_GROUP_SLUG],
            member=User.objects.get(email=demo_email(local_part)),
            role=ForumRole.Role.FACILITATOR,
        )
    city = forums[CITY_SLUG].name
    logins += [
        DemoLogin(demo_email("pancevo.secretariat"), DEMO_PASSWORD, f"secretariat of {city}"),
        DemoLogin(demo_email("pancevo.gov"), DEMO_PASSWORD, f"co-chair (government) of {city}"),
        DemoLogin(demo_email("pancevo.cso"), DEMO_PASSWORD, f"co-chair (non-government) of {city}"),
    ]
    logins.append(DemoLogin(demo_email("new.official"), DEMO_PASSWORD, "pending member"))
    _forum_body(forums)
    # An approved civil-society member asked to move to a ministry (the other stakeholder
    # group): it waits in the back office's "Changes of organisation".
    member = User.objects.get(email=demo_email(roles.MEMBER))
    OrganisationChange.objects.get_or_create(
        member=member,
        status=OrganisationChange.Status.PENDING,
        defaults={
            "organisation_before": member.organisation,
            "organisation": organisations[DEMO_ORGANISATION_CHANGE_TO],
        },
    )
    return logins


# local part of the seat holder, of the alternate, co-chair
DEMO_FORUM_BODY = [
    ("secretariat", "dimitris", True),
    ("gov.member", "jelena", False),
    ("andriy", "iryna", False),
    ("piotr", "katarzyna", False),
    ("cso.member", "tomasz", True),
    ("member", "taras", False),
    ("sofia", "nikos", False),
    ("ana", "ines", False),
]


def _forum_body(forums: dict[str, Forum]) -> None:
    seats = [(NATIONAL_SLUG, *seat) for seat in DEMO_FORUM_BODY] + DEMO_FORUM_SEATS
    for slug, holder, alternate, co_chair in seats:
        member = User.objects.select_related("organisation__sector").get(email=demo_email(holder))
        ForumSeat.objects.get_or_create(
            forum=forums[slug],
            member=member,
            defaults={
                "organisation": member.organisation,
                "stakeholder_group": member.organisation.sector.stakeholder_group,
                "alternate": User.objects.filter(email=demo_email(alternate or "")).first(),
                "term_start": date(2026, 1, 1),
                "co_chair": co_chair,
            },
        )


@transaction.atomic
def demo_members_remove() -> None:
    ForumSeat.objects.filter(member__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    # The demo's forums (their processes and plans went first); the default forum stays.
    Forum.objects.filter(slug__in=[row[0] for row in reversed(DEMO_FORUMS)]).order_by(
        "-pk"
    ).delete()
    names = [row[0] for row in DEMO_ORGANISATIONS]
    Organisation.objects.filter(name__in=names, members__isnull=True).delete()
