"""Demo events: an Open Gov Week campaign of about forty events in several countries,
submitted by demo members and reviewed by the demo secretariat: most published, a few
waiting for review, one turned down; some take registrations, one is full with a waiting
list; four are open to guests (people without an account), one with a guest registered.
Idempotent."""

import zoneinfo
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from events.models import Campaign, Event, EventRegistration, guest_token
from events.services import event_approve, event_register, event_reject, event_submit
from members.demo import DEMO_EMAIL_DOMAIN, DEMO_ORGANISATIONS
from members.models import Forum, Organisation, User

CAMPAIGN_SLUG = "demo-open-gov-week"

ZONES = {
    "GR": "Europe/Athens",
    "PT": "Europe/Lisbon",
    "UA": "Europe/Kyiv",
    "RS": "Europe/Belgrade",
    "PL": "Europe/Warsaw",
    "HR": "Europe/Zagreb",
    "SI": "Europe/Ljubljana",
    "KE": "Africa/Nairobi",
    "PH": "Asia/Manila",
    "CO": "America/Bogota",
    "CA": "America/Toronto",
    "GE": "Asia/Tbilisi",
    "MD": "Europe/Chisinau",
}

# title, format, attendance, city, country, latitude, longitude, day of the week (0-4),
# hour, hours long, language, organiser (e-mail local part), organisation (index in
# DEMO_ORGANISATIONS or None), checklist (A accessible venue, V vulnerable groups, G gender
# balance, C civil-society partners), places (None: no registration, 0: no limit), status
# fmt: off
DEMO_EVENTS = [
    ("Opening the national budget: a citizens' walkthrough", "seminar", "in_person", "Athens", "GR", "37.97550", "23.73480", 0, 17, 2, "el", "sofia", 3, "AVGC", 40, "approved"),  # noqa: E501
    ("Public debate: who reads our lobbying register?", "public_debate", "in_person", "Athens", "GR", "37.98380", "23.72750", 1, 18, 2, "el", "secretariat", 0, "AGC", None, "approved"),  # noqa: E501
    ("Thessaloniki open data hackathon", "hackathon", "in_person", "Thessaloniki", "GR", "40.63240", "22.94100", 2, 10, 8, "el", "dimitris", 1, "AVGC", 30, "approved"),  # noqa: E501
    ("Participatory budgeting in Patras: lessons from year one", "seminar", "hybrid", "Patras", "GR", "38.24660", "21.73460", 3, 16, 2, "el", "nikos", 4, "AG", None, "approved"),  # noqa: E501
    ("Personal data and open data: where is the line?", "webinar", "online", "", "", None, None, 1, 12, 2, "el", "secretariat", 2, "AG", 0, "approved"),  # noqa: E501
    ("Heraklion town hall: open council meetings", "public_debate", "in_person", "Heraklion", "GR", "35.33870", "25.14420", 4, 18, 2, "el", "giorgos", 28, "AV", None, "approved"),  # noqa: E501
    ("Civic tech meetup: tools for transparency", "workshop", "in_person", "Athens", "GR", "37.97920", "23.71660", 2, 19, 3, "en", "sofia", 5, "GC", 25, "approved"),  # noqa: E501
    ("Beneficial ownership registers: the state of play in Portugal", "conference", "in_person", "Lisbon", "PT", "38.72230", "-9.13930", 0, 9, 7, "pt", "ana", 6, "AVGC", 120, "approved"),  # noqa: E501
    ("Porto participates: co-designing the city's open government plan", "workshop", "in_person", "Porto", "PT", "41.14960", "-8.61100", 1, 15, 3, "pt", "rui", 7, "AVGC", 12, "approved"),  # noqa: E501
    ("Reading public contracts: a beginners' webinar", "webinar", "online", "", "", None, None, 2, 18, 2, "pt", "facilitator", 8, "AGC", 0, "approved"),  # noqa: E501
    ("Open lecture: deliberative mini-publics", "seminar", "in_person", "Coimbra", "PT", "40.20330", "-8.41030", 3, 17, 2, "pt", "ines", 9, "AV", None, "approved"),  # noqa: E501
    ("Investigative journalism and access to information requests", "workshop", "hybrid", "Lisbon", "PT", "38.71390", "-9.13340", 4, 10, 4, "pt", "ana", 10, "AGC", 20, "approved"),  # noqa: E501
    ("Reconstruction spending in the open", "conference", "hybrid", "Kyiv", "UA", "50.45010", "30.52340", 0, 10, 6, "uk", "member", 13, "AVGC", 80, "approved"),  # noqa: E501
    ("Digital public services and open data", "seminar", "online", "", "", None, None, 1, 11, 2, "uk", "andriy", 11, "AG", 0, "approved"),  # noqa: E501
    ("Lviv city council: open budget hearing", "public_debate", "in_person", "Lviv", "UA", "49.84190", "24.03150", 2, 16, 2, "uk", "iryna", 12, "AVG", None, "approved"),  # noqa: E501
    ("Kharkiv policy forum: transparency in recovery", "conference", "in_person", "Kharkiv", "UA", "49.99350", "36.23040", 3, 10, 5, "uk", "taras", 14, "AGC", None, "approved"),  # noqa: E501
    ("Procurement watch: reading public procurement data", "workshop", "in_person", "Odesa", "UA", "46.48250", "30.72330", 4, 14, 3, "uk", "member", 15, "AC", 15, "submitted"),  # noqa: E501
    ("What the national open data portal holds", "seminar", "in_person", "Belgrade", "RS", "44.81760", "20.45690", 0, 12, 2, "sr", "gov.member", 16, "AG", None, "approved"),  # noqa: E501
    ("Novi Sad participatory budgeting assembly", "public_debate", "in_person", "Novi Sad", "RS", "45.25510", "19.84520", 1, 18, 2, "sr", "jelena", 17, "AVGC", None, "approved"),  # noqa: E501
    ("Free access to information: the Commissioner answers", "webinar", "online", "", "", None, None, 2, 11, 2, "sr", "dragana", 18, "AG", 0, "approved"),  # noqa: E501
    ("Belgrade open data hackathon", "hackathon", "in_person", "Belgrade", "RS", "44.81250", "20.46120", 3, 9, 9, "sr", "milica", 19, "AVGC", 40, "approved"),  # noqa: E501
    ("Data journalism bootcamp", "workshop", "in_person", "Niš", "RS", "43.32090", "21.89580", 4, 10, 6, "sr", "nemanja", 29, "GC", 20, "approved"),  # noqa: E501
    ("Lobbying transparency in Poland: a public debate", "public_debate", "in_person", "Warsaw", "PL", "52.22970", "21.01220", 0, 17, 2, "pl", "cso.member", 22, "AVGC", None, "approved"),  # noqa: E501
    ("Gdańsk citizens' assembly: open session", "public_debate", "in_person", "Gdańsk", "PL", "54.35200", "18.64660", 1, 16, 3, "pl", "katarzyna", 21, "AVGC", 60, "approved"),  # noqa: E501
    ("The government's open data plan", "seminar", "hybrid", "Warsaw", "PL", "52.23190", "21.00670", 2, 10, 2, "pl", "piotr", 20, "AG", 0, "approved"),  # noqa: E501
    ("Civic software sprint: accessible public services", "hackathon", "in_person", "Wrocław", "PL", "51.10790", "17.03850", 3, 10, 8, "pl", "tomasz", 24, "AVC", 25, "approved"),  # noqa: E501
    ("Research seminar: measuring participation", "seminar", "in_person", "Kraków", "PL", "50.06140", "19.93660", 4, 13, 2, "pl", "cso.member", 23, "AG", None, "submitted"),  # noqa: E501
    ("A year of Croatia's action plan", "conference", "in_person", "Zagreb", "HR", "45.81500", "15.98190", 0, 10, 6, "hr", "ivana", 25, "AVGC", 100, "approved"),  # noqa: E501
    ("How to read Zagreb's budget", "workshop", "in_person", "Zagreb", "HR", "45.81310", "15.97720", 2, 17, 2, "hr", "luka", 26, "AVG", 20, "approved"),  # noqa: E501
    ("Open port data meetup", "workshop", "in_person", "Split", "HR", "43.50810", "16.44020", 4, 18, 2, "hr", "luka", 26, "AG", None, "approved"),  # noqa: E501
    ("Open lecture: open government in Slovenian municipalities", "seminar", "in_person", "Ljubljana", "SI", "46.05000", "14.50690", 1, 17, 2, "sl", "maja", 27, "AG", None, "approved"),  # noqa: E501
    ("Youth council: an open session", "public_debate", "in_person", "Maribor", "SI", "46.55470", "15.64590", 3, 16, 2, "sl", "maja", 27, "AVGC", None, "approved"),  # noqa: E501
    ("Women in open government: a regional conversation", "webinar", "online", "", "", None, None, 3, 15, 2, "en", "maja", 27, "AVGC", 0, "approved"),  # noqa: E501
    ("Opening session: the state of open government in Europe", "webinar", "online", "", "", None, None, 0, 9, 2, "en", "secretariat", 0, "AVGC", 0, "approved"),  # noqa: E501
    ("Open contracting in the counties", "seminar", "hybrid", "Nairobi", "KE", "-1.28640", "36.81720", 1, 10, 3, "en", "facilitator", None, "AGC", None, "approved"),  # noqa: E501
    ("Neighbourhood open data clinic", "workshop", "in_person", "Manila", "PH", "14.59950", "120.98420", 2, 9, 4, "en", "ivana", None, "AVC", None, "approved"),  # noqa: E501
    ("Contratación abierta y ciudadanía", "public_debate", "hybrid", "Bogotá", "CO", "4.71100", "-74.07210", 3, 14, 2, "es", "ines", None, "AVGC", None, "approved"),  # noqa: E501
    ("Des données ouvertes pour le logement", "workshop", "in_person", "Montréal", "CA", "45.50190", "-73.56740", 4, 18, 2, "fr", "maja", None, "AG", None, "approved"),  # noqa: E501
    ("Public service halls: an accessibility audit", "workshop", "in_person", "Tbilisi", "GE", "41.71510", "44.82710", 2, 12, 3, "en", "andriy", None, "AV", None, "submitted"),  # noqa: E501
    ("Open budgets for local councils", "seminar", "in_person", "Chișinău", "MD", "47.01050", "28.86380", 3, 11, 2, "en", "iryna", None, "AG", None, "approved"),  # noqa: E501
    ("Win a smartphone: the transparency quiz", "other", "online", "", "", None, None, 1, 20, 1, "en", "tomasz", 24, "", None, "rejected"),  # noqa: E501
]
# fmt: on

REJECTION = (
    "A prize draw sponsored by a phone shop is advertising, not an open-government event. "
    "If a civic organisation runs the quiz without a sponsor, edit the event and say so."
)

# Registrations: event title, how many demo members register (in order, the organiser left out)
DEMO_REGISTRATIONS = {
    "Porto participates: co-designing the city's open government plan": 15,  # 12 places: 3 wait
    "Opening the national budget: a citizens' walkthrough": 8,
    "Reconstruction spending in the open": 10,
    "Belgrade open data hackathon": 6,
    "Reading public contracts: a beginners' webinar": 5,
}

# Events open to people without an account; the first has a guest registered.
DEMO_GUEST_EVENTS = [
    "Reconstruction spending in the open",
    "Opening session: the state of open government in Europe",
    "Opening the national budget: a citizens' walkthrough",
    "Porto participates: co-designing the city's open government plan",  # full: guests wait
]
DEMO_GUEST = ("Olena Kovalenko", "olena.kovalenko@example.org", "uk")


def _campaign_week_start():
    """Open Gov Week starts on the Monday at least two weeks from today."""
    day = timezone.localdate() + timedelta(days=14)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _campaign() -> Campaign:
    start = _campaign_week_start()
    campaign, _created = Campaign.objects.get_or_create(
        forum=Forum.objects.default(),
        slug=CAMPAIGN_SLUG,
        defaults={
            "name": f"Open Gov Week {start.year}",
            "description": (
                "A week of events on open government organised by public bodies, civil "
                "society and activists, in person and online."
            ),
            "starts_on": start,
            "ends_on": start + timedelta(days=4),
        },
    )
    return campaign


def _description(title: str, city: str, organisation: str) -> str:
    where = f" in {city}" if city else " online"
    who = f"{organisation} invites" if organisation else "The organisers invite"
    return (
        f"{who} everyone interested in open government to “{title}”{where}. "
        "Short presentations open the session; most of the time is for questions and "
        "discussion with officials, civil-society organisations and residents.\n\n"
        "The session is part of Open Gov Week: a week of events on transparency, "
        "participation and accountability."
    )


def demo_events_load() -> None:
    campaign = _campaign()
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").select_related(
            "organisation"
        )
    }
    secretariat = people.get("secretariat")
    if secretariat is None:
        return  # the demo members are not there: nothing to organise events with
    organisations = {
        (organisation.name, organisation.country.code): organisation
        for organisation in Organisation.objects.all()
    }
    existing = set(Event.objects.filter(campaign=campaign).values_list("title", flat=True))
    start = campaign.starts_on
    for row in DEMO_EVENTS:
        (title, format_, attendance, city, country, lat, lng, day, hour, hours, language) = row[:11]
        organiser_key, organisation_index, checklist, places, status = row[11:]
        organiser = people.get(organiser_key)
        if title in existing or organiser is None:
            continue
        zone = zoneinfo.ZoneInfo(ZONES.get(country, "Europe/Brussels"))
        starts_at = datetime.combine(start + timedelta(days=day), time(hour), tzinfo=zone)
        organisation = None
        if organisation_index is not None:
            name, _sector, org_country, _city, _website = DEMO_ORGANISATIONS[organisation_index]
            organisation = organisations.get((name, org_country))
        event = event_submit(
            by=organiser,
            fields={
                "campaign": campaign,
                "title": title,
                "description": _description(title, city, organisation.name if organisation else ""),
                "format": format_,
                "attendance": attendance,
                "address": f"{city} city centre" if city else "",
                "city": city,
                "country": country,
                "latitude": Decimal(lat) if lat else None,
                "longitude": Decimal(lng) if lng else None,
                "online_link": (
                    f"https://meet.example.org/ogw-{len(existing)}-{day}{hour}"
                    if attendance != "in_person"
                    else ""
                ),
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours),
                "time_zone": str(zone),
                "language": language,
                "organisation": organisation,
                "partners": "" if organisation else "A local civil-society network",
                "link": "https://example.org/open-gov-week",
                "accessible_venue": "A" in checklist,
                "vulnerable_groups": "V" in checklist,
                "gender_balanced": "G" in checklist,
                "civil_society_partners": "C" in checklist,
                "registration_required": places is not None,
                "capacity": places or None,
            },
        )
        existing.add(title)
        if status == "approved":
            event_approve(event=event, by=secretariat)
        elif status == "rejected":
            event_reject(event=event, reason=REJECTION, by=secretariat)
    _registrations(campaign, list(people.values()))
    _guests(campaign)


def _guests(campaign: Campaign) -> None:
    Event.objects.filter(
        campaign=campaign, title__in=DEMO_GUEST_EVENTS, registration_required=True
    ).update(open_to_guests=True)
    event = Event.objects.filter(campaign=campaign, title=DEMO_GUEST_EVENTS[0]).first()
    if event is None or event.registrations.filter(member__isnull=True).exists():
        return
    # History, not news: written as the services would leave it, without an e-mail.
    name, email, language = DEMO_GUEST
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        taken = event.registrations.filter(status=EventRegistration.Status.CONFIRMED).count()
        full = event.capacity is not None and taken >= event.capacity
        EventRegistration.objects.create(
            event=event,
            guest_name=name,
            guest_email=email,
            guest_language=language,
            guest_token=guest_token(),
            verified_at=now,
            status=EventRegistration.Status.WAITING if full else EventRegistration.Status.CONFIRMED,
            confirmed_at=None if full else now,
            created_at=now,
        )


def _registrations(campaign: Campaign, people) -> None:
    people = sorted(
        (p for p in people if p.membership_status == "approved" and not p.is_superuser),
        key=lambda p: p.pk,
    )
    for title, count in DEMO_REGISTRATIONS.items():
        event = Event.objects.filter(campaign=campaign, title=title).first()
        if event is None or event.registrations.exists():
            continue
        for member in [p for p in people if p.pk != event.organiser_id][:count]:
            event_register(event=event, member=member)


def demo_events_remove() -> None:
    Event.objects.filter(campaign__slug=CAMPAIGN_SLUG).delete()
    Campaign.objects.filter(slug=CAMPAIGN_SLUG).delete()
