"""Issue 31's "done when": the secretariat of a Greek forum imports a 200-row spreadsheet
saved by Excel in Greek (Windows-1253, semicolons) with 5 broken rows: it matches the
columns, reads the preview, confirms; 195 people are invited; one accepts in Greek and
lands approved in her organisation's group with no approval step; the same file again
creates nothing; the rejected rows' CSV names the 5 rows and why."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from core import queue
from members.models import Invitation, MembershipStatus, Organisation, User
from tests.factories import (
    DEFAULT_PASSWORD,
    ForumFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    role_give,
)
from tests.support.spreadsheets import greek_csv

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 60_000  # ms: the worker checks and writes 200 rows in a thread of the live server


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_THREADS = True
    yield
    assert queue.background_wait(60), "an import did not finish"


def _sectors():
    sectors = {}
    for slug, name, group in [
        ("civil-society", "Civil-society organisation", "non_government"),
        ("national-public-body", "National public body", "government"),
        ("regional-local-government", "Regional or local government", "government"),
        ("academia", "Academia and research", "non_government"),
    ]:
        sectors[slug] = SectorFactory(slug=slug, name=name, stakeholder_group=group)
    return sectors


def _import(staff, live_server, data: bytes):
    staff.goto(f"{live_server.url}/manage/weopengov/")
    staff.get_by_role("navigation", name="Back office").get_by_role("link", name="Imports").click()
    staff.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(
        files=[{"name": "weopengov-members.csv", "mimeType": "text/csv", "buffer": data}]
    )
    staff.get_by_role("button", name="Read the file").click()
    expect(staff.get_by_role("heading", name="Columns of weopengov-members.csv")).to_be_visible()
    expect(staff.get_by_label("Person: e-mail address")).to_have_value("Email")
    expect(staff.get_by_label("Organisation: name")).to_have_value("Φορέας")
    expect(staff.get_by_text("encoding cp1253")).to_be_visible()
    staff.get_by_role("button", name="Check the rows").click()
    expect(staff.get_by_text("Nothing has been written yet")).to_be_visible(timeout=WAIT)


def test_a_greek_spreadsheet_is_imported_and_an_invited_person_arrives_approved(
    browser, live_server
):
    forum = ForumFactory(name="WeOpenGov", slug="weopengov", country="GR")
    sectors = _sectors()
    OrganisationFactory(name="ΚΕΔΕ", sector=sectors["regional-local-government"], country="GR")
    secretariat = UserFactory(full_name="Eleni Secretariat")
    role_give(secretariat, "secretariat", forum)
    data = greek_csv()

    staff = browser.new_context(accept_downloads=True).new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("Email").fill(secretariat.email)
    staff.get_by_label("Password").fill(DEFAULT_PASSWORD)
    staff.get_by_role("button", name="Sign In").click()

    _import(staff, live_server, data)
    counts = staff.get_by_label("Counts")
    expect(counts).to_contain_text("200")
    expect(counts).to_contain_text("195")
    staff.get_by_role("navigation", name="Show the rows").get_by_role("link", name="Error").click()
    for reason in (
        "Invalid e-mail address “person7(at)example.gr”",
        "is also in row 4",
        "Unknown sector “Ποδόσφαιρο”",
        "Close to an existing organisation: “ΚΕΔΕ”",
        "A formula in the column “Ονοματεπώνυμο”",
    ):
        expect(staff.get_by_text(reason)).to_be_visible()
    assert not Invitation.objects.exists() and mail.outbox == []  # nothing before confirming

    staff.get_by_role("button", name="Import 195 new rows").click()
    expect(staff.get_by_text("Imported on")).to_be_visible(timeout=WAIT)
    expect(staff.get_by_label("Counts")).to_contain_text("People invited")
    assert Invitation.objects.filter(forum=forum).count() == 195
    assert len(mail.outbox) == 195
    assert len({m.to[0] for m in mail.outbox}) == 195

    with staff.expect_download() as download_info:
        staff.get_by_role("link", name="The 5 rejected rows (CSV, with the reasons)").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        rejected = list(csv.reader(io.StringIO(handle.read())))
    assert rejected[0][0] == "Row" and rejected[0][-1] == "Reason"
    assert [row[0] for row in rejected[1:]] == ["8", "24", "62", "98", "151"]
    assert all(row[-1] for row in rejected[1:])

    # One of them accepts, in Greek.
    (message,) = [m for m in mail.outbox if m.to == ["person1@example.gr"]]
    path = urlsplit(re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)).path
    with translation.override("el"):
        accept = translation.gettext("Accept the invitation")
    invited = browser.new_context().new_page()
    invited.goto(live_server.url + path)
    expect(invited.locator("html")).to_have_attribute("lang", "el")
    invited.locator("#id_password1").fill("kalimera-Athina-2026")
    invited.locator("#id_password2").fill("kalimera-Athina-2026")
    invited.locator("#id_privacy_consent").check()
    invited.get_by_role("button", name=accept).click()
    invited.wait_for_url(re.compile(r"/members/my-forum/$"))
    member = User.objects.get(email="person1@example.gr")
    assert member.membership_status == MembershipStatus.APPROVED
    assert member.organisation.name == "Διεθνής Διαφάνεια Ελλάδας"
    assert member.organisation.sector.stakeholder_group == "non_government"
    assert member.preferred_language == "el"

    # The same file again: every row matches, nothing to import, nothing created.
    organisations, invitations, sent = (
        Organisation.objects.count(),
        Invitation.objects.count(),
        len(mail.outbox),
    )
    _import(staff, live_server, data)
    expect(staff.get_by_text("there is nothing to import")).to_be_visible()
    expect(staff.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert Organisation.objects.count() == organisations
    assert Invitation.objects.count() == invitations
    assert len(mail.outbox) == sent
