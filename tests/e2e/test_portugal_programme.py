"""Portugal's co-creation programme, run entirely from the back office by its secretariat
(a member with the forum's secretariat role, no staff status): a process and four thematic
workshops at 16:00 Lisbon time, each with its facilitating partner and facilitator, an
outreach kit, registrations from both groups until one group's seats are taken, the
10 March session moved to 15:00 (every registrant and the person waiting told, in their
language, with the old and new times), the registrant CSV, a message to everyone registered,
then the action plan created with its introduction and status, and its PDF."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from actionplans.models import ActionPlan
from cocreation.models import Registration, Workshop
from core.notifications.models import Notification
from tests.e2e.test_workshop_session import log_in
from tests.factories import (
    DEFAULT_PASSWORD,
    ForumFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
    role_give,
    seat_give,
)

pytestmark = pytest.mark.django_db(transaction=True)

LISBON = ZoneInfo("Europe/Lisbon")
WORKSHOPS = [
    ("Transparency and open data", "2027-03-03", "Transparência e Integridade, TIAC"),
    ("Citizen participation", "2027-03-04", "Associação Portuguesa de Planeamento"),
    ("Integrity in public procurement", "2027-03-10", "Universidade de Lisboa, ICS"),
    ("Digital public services", "2027-03-11", "Agência para a Modernização Administrativa"),
]
PROCESS = "Co-creation of the 2nd National Action Plan"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_portugals_programme_runs_from_the_back_office(browser, live_server, tmp_path):
    portugal = ForumFactory(
        name="Portugal's Open Government Network", slug="portugal", country="PT"
    )
    secretariat = UserFactory(full_name="Inês Carvalho", preferred_language="en")
    role_give(secretariat, "secretariat", portugal)
    assert not secretariat.is_staff and not secretariat.is_superuser
    for _title, _day, partner in WORKSHOPS:
        OrganisationFactory(name=partner, verified=True)
    facilitators = [
        member_of("non_government", full_name=name)
        for name in ("João Martins", "Rita Sousa", "Miguel Ferreira", "Ana Lopes")
    ]
    body_member = member_of("government", full_name="Pedro Almeida", preferred_language="pt")
    seat_give(body_member, forum=portugal)
    kit = tmp_path / "outreach-kit.pdf"
    kit.write_bytes(b"%PDF-1.4\n% the programme's poster and invitation\n")

    office = log_in(browser, live_server, secretariat)
    office.goto(f"{live_server.url}/")
    office.get_by_role("link", name="Back office").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Portugal")

    # The four workshops, typed in Lisbon's time, each with its partner and facilitator.
    for number, (title, day, partner) in enumerate(WORKSHOPS):
        office.goto(f"{live_server.url}/manage/portugal/")
        office.get_by_role("link", name="New workshop").first.click()
        if number == 0:
            office.get_by_label("Or a new co-creation process").fill(PROCESS)
        else:
            office.get_by_label("Co-creation process:", exact=True).select_option(label=PROCESS)
        office.get_by_label("Title").fill(title)
        expect(office.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
        office.get_by_label("Starts").fill(f"{day}T16:00")
        office.get_by_label("Ends").fill(f"{day}T18:00")
        office.get_by_label("Venue").fill("Centro Cultural de Belém, Lisboa")
        office.get_by_label("Capacity").fill("4")
        office.get_by_label("Seats for government").fill("2")
        office.get_by_label("Seats for non-government").fill("2")
        office.get_by_role("button", name="Create the workshop").click()
        expect(office.get_by_text(f"The workshop “{title}” is created.")).to_be_visible()
        expect(office.get_by_role("heading", level=1)).to_have_text(title)
        expect(office.locator("main .lead")).to_contain_text("4 p.m.")  # 16:00 in Lisbon

        office.get_by_label("Partner organisation").select_option(label=partner)
        office.get_by_role("button", name="Add the partner").click()
        expect(office.locator(".message--success")).to_be_visible()
        office.get_by_label("E-mail address of the member").fill(facilitators[number].email)
        office.get_by_role("button", name="Add the facilitator").click()
        expect(office.locator(".message--success")).to_be_visible()
        if number == 0:
            office.locator("main form").filter(has=office.get_by_label("File")).get_by_label(
                "Title"
            ).fill("Outreach kit: poster and invitation")
            office.get_by_label("File").set_input_files(str(kit))
            office.get_by_role("button", name="Add the file").click()
            expect(office.get_by_text("Outreach kit: poster and invitation").first).to_be_visible()
        # the body's member, the secretariat, the facilitators of this and earlier workshops
        audience = 2 + number + 1
        expect(office.get_by_text(f"Announce it to the forum's {audience} members")).to_be_visible()
        office.get_by_role("button", name="Publish").click()
        expect(office.get_by_text(f"{audience} members of the forum are told")).to_be_visible()

    workshops = {w.title: w for w in Workshop.objects.filter(process__forum=portugal)}
    assert len(workshops) == 4
    for title, day, partner in WORKSHOPS:
        workshop = workshops[title]
        assert workshop.status == Workshop.Status.PUBLISHED
        assert workshop.starts_at == datetime.fromisoformat(f"{day}T16:00").replace(tzinfo=LISBON)
        assert list(workshop.facilitating_organisations.values_list("name", flat=True)) == [partner]
        assert workshop.facilitators.count() == 1
    assert workshops["Transparency and open data"].attachments.count() == 1
    assert (
        Notification.objects.filter(kind="workshop_announced", recipient=body_member).count() == 4
    )

    # The kit is on the public page, for anyone to download.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}{workshops['Transparency and open data'].get_absolute_url()}")
    expect(visitor.get_by_role("link", name="Outreach kit: poster and invitation")).to_be_visible()
    visitor.context.close()

    # Members of both groups register for 10 March until the civil-society seats are taken.
    procurement = workshops["Integrity in public procurement"]
    civil = [
        member_of("non_government", full_name="Carla Mendes", preferred_language="pt"),
        member_of("non_government", full_name="Nikos Georgiou", preferred_language="el"),
        member_of("non_government", full_name="Sofia Ramos", preferred_language="en"),
    ]
    for person in [body_member, *civil]:
        page = browser.new_context().new_page()
        page.goto(f"{live_server.url}/accounts/login/?next={procurement.get_absolute_url()}")
        page.locator("input[name=login]").fill(person.email)
        page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(procurement.title)
        page.locator("form.registration-form button[type=submit]").click()  # in their language
        expect(page.locator(".message--success, .message--warning").first).to_be_visible()
        page.context.close()
    waiting = Registration.objects.get(workshop=procurement, member=civil[2])
    assert waiting.status == Registration.Status.WAITING
    assert procurement.registrations.filter(status="confirmed").count() == 3

    # The 10 March session moves to 15:00; everyone registered or waiting is told.
    office.goto(f"{live_server.url}/manage/portugal/workshops/")
    office.get_by_role("link", name="Integrity in public procurement").click()
    office.get_by_label("Starts").fill("2027-03-10T15:00")
    office.get_by_label("Ends").fill("2027-03-10T17:00")
    office.get_by_role("button", name="Move the workshop").click()
    expect(office.locator(".message--success")).to_be_visible()
    procurement.refresh_from_db()
    assert procurement.starts_at == datetime(2027, 3, 10, 15, 0, tzinfo=LISBON)
    for person in [body_member, *civil]:
        notice = Notification.objects.get(kind="workshop_rescheduled", recipient=person)
        with translation.override(person.preferred_language):
            for moment in ((10, 16), (10, 15), (10, 17)):
                shown = formats.date_format(
                    datetime(2027, 3, moment[0], moment[1], 0, tzinfo=LISBON).astimezone(LISBON),
                    "DATETIME_FORMAT",
                )
                assert shown in notice.body, (person.preferred_language, shown, notice.body)
    assert "Antes" in Notification.objects.get(kind="workshop_rescheduled", recipient=civil[0]).body
    told_waiting = Notification.objects.get(kind="workshop_rescheduled", recipient=civil[2])
    assert "waiting list, at number 1" in told_waiting.body

    # The registrants: their list, the CSV, a message to all of them.
    office.get_by_role("link", name="Registrants").first.click()
    expect(office.get_by_role("row").filter(has_text="Sofia Ramos")).to_contain_text("Waiting")
    with office.expect_download() as download:
        office.get_by_role("link", name="Download the registrants as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as table:
        rows = list(csv.reader(table))
    names = {cell for row in rows[1:] for cell in row}
    assert {"Pedro Almeida", "Carla Mendes", "Nikos Georgiou", "Sofia Ramos"} <= names
    office.get_by_label("To").select_option("all")
    office.get_by_label("Subject").fill("Bring your proposals")
    office.get_by_role("textbox", name="Message").fill("Bring one proposal on procurement.")
    office.get_by_text("Send the message").click()
    office.get_by_role("button", name="Yes, send it now").click()
    expect(office.locator(".message--success")).to_be_visible()
    assert Notification.objects.filter(kind="registrants_message").count() == 4

    # The action plan: created with its introduction, then its status.
    office.goto(f"{live_server.url}/manage/portugal/")
    office.get_by_role("link", name="New action plan").first.click()
    office.get_by_label("Title").fill("2nd National Action Plan of Portugal 2027-2029")
    office.get_by_label("Slug").fill("portugal-2nd-nap")
    office.get_by_label("Number").fill("2")
    office.get_by_label("Period starts").fill("2027-07-01")
    office.get_by_label("Period ends").fill("2029-06-30")
    office.locator("main").get_by_label("Language").select_option("pt")
    office.get_by_label("Vision").fill("Uma administração aberta, íntegra e participada.")
    office.get_by_role("button", name="Create the action plan").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("2nd National Action Plan")
    plan = ActionPlan.objects.get(slug="portugal-2nd-nap")
    assert plan.forum == portugal and plan.vision.startswith("Uma administração")
    office.get_by_role("combobox", name="Status").select_option("adopted")
    office.get_by_role("button", name="Change the status").click()
    expect(office.locator(".message--success")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ADOPTED

    # Its PDF says so on the cover.
    office.goto(f"{live_server.url}{plan.get_absolute_url()}")
    office.get_by_role("link", name="Downloads").first.click()
    office.get_by_role("button", name="Build the PDF").click()
    expect(office.get_by_text("The PDF is ready")).to_be_visible(timeout=60_000)
    with office.expect_download() as download:
        office.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(page.extract_text() for page in reader.pages[:3])
    assert "Portugal's Open Government Network" in text
    assert "Uma administração aberta" in text
    assert "Adotado" in text or "Adopted" in text
