"""Demo members for `manage.py demo_data`: sectors, organisations in several countries, and
an account for every role. Idempotent: running it again changes nothing."""

from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from members import roles
from members.defaults import DEFAULT_SECTORS
from members.models import Forum, ForumRole, ForumSeat, Organisation, Sector, User

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


def _ensure_user(*, email, full_name, organisation, language, role=None, **flags) -> User:
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
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role:
        # The role in the default forum; the group gives the administration's permissions.
        user.groups.add(Group.objects.get(name=role))
        if role in ForumRole.Role.values:
            ForumRole.objects.get_or_create(forum=Forum.objects.default(), member=user, role=role)
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
            is_staff=(role == roles.SECRETARIAT),
        )
        if local_part in (roles.SECRETARIAT, roles.FACILITATOR, roles.MEMBER):
            logins.append(DemoLogin(demo_email(local_part), DEMO_PASSWORD, role))
    for local_part, full_name, organisation_index, language, status, question in DEMO_WAITING:
        _ensure_user(
            email=demo_email(local_part),
            full_name=full_name,
            organisation=organisations[organisation_index],
            language=language,
            membership_status=status,
            membership_note=question,
        )
    logins.append(DemoLogin(demo_email("new.official"), DEMO_PASSWORD, "pending member"))
    _forum_body()
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


def _forum_body() -> None:
    for holder, alternate, co_chair in DEMO_FORUM_BODY:
        member = User.objects.select_related("organisation__sector").get(email=demo_email(holder))
        ForumSeat.objects.get_or_create(
            forum=Forum.objects.default(),
            member=member,
            defaults={
                "organisation": member.organisation,
                "stakeholder_group": member.organisation.sector.stakeholder_group,
                "alternate": User.objects.get(email=demo_email(alternate)),
                "term_start": date(2026, 1, 1),
                "co_chair": co_chair,
            },
        )


@transaction.atomic
def demo_members_remove() -> None:
    ForumSeat.objects.filter(member__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    names = [row[0] for row in DEMO_ORGANISATIONS]
    Organisation.objects.filter(name__in=names, members__isnull=True).delete()
