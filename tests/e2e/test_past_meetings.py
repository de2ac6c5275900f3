"""Issue 31, item 3: the secretariat of a Greek forum imports the meetings the forum held
before the portal from Excel's Greek CSV, reads the preview (a broken date, an unknown
kind, a meeting twice), confirms; forum health then names them, in Greek, as held outside
the portal, with their minutes; a meeting recorded by hand with its minutes file is read by
anyone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from cocreation.models import PastMeeting
from core import queue
from tests.factories import DEFAULT_PASSWORD, ForumFactory, UserFactory, role_give
from tests.support.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30_000  # ms: the worker checks and writes the rows in a thread of the live server
HEADER = ["Ημερομηνία", "Τίτλος", "Είδος", "Πρακτικά", "Κυβέρνηση", "Κοινωνία πολιτών"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_THREADS = True
    yield
    assert queue.background_wait(60), "an import did not finish"


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def _meetings() -> bytes:
    return csv_bytes(
        [
            [_day(400), "Ολομέλεια: χειμώνας", "Συνεδρίαση φόρουμ", "opengov.gr/p1.pdf", "7", "9"],
            [_day(250), "Ολομέλεια: άνοιξη", "Συνεδρίαση φόρουμ", "opengov.gr/p2.pdf", "6", "8"],
            [_day(100), "Ολομέλεια: φθινόπωρο", "", "", "", ""],
            ["31/02/2025", "Λάθος ημερομηνία", "", "", "", ""],
            [_day(90), "Εορτή λήξης", "Γιορτή", "", "", ""],
            [_day(400), "Ολομέλεια - χειμώνας", "", "", "", ""],
        ],
        HEADER,
    )


def test_the_forums_earlier_meetings_are_imported_and_counted_by_forum_health(
    browser, live_server, tmp_path
):
    forum = ForumFactory(name="WeOpenGov", slug="weopengov", country="GR")
    secretariat = UserFactory(full_name="Eleni Secretariat")
    role_give(secretariat, "secretariat", forum)
    staff = browser.new_context().new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("Email").fill(secretariat.email)
    staff.get_by_label("Password").fill(DEFAULT_PASSWORD)
    staff.get_by_role("button", name="Sign In").click()

    staff.goto(f"{live_server.url}/manage/weopengov/")
    back_office = staff.get_by_role("navigation", name="Back office")
    back_office.get_by_role("link", name="Past meetings").click()
    expect(staff.get_by_text("No past meeting is recorded yet")).to_be_visible()
    staff.get_by_role("link", name="Import from a spreadsheet").click()
    expect(staff.get_by_role("heading", name="Import past meetings")).to_be_visible()
    staff.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(
        files=[{"name": "synedriaseis.csv", "mimeType": "text/csv", "buffer": _meetings()}]
    )
    staff.get_by_role("button", name="Read the file").click()
    expect(staff.get_by_label("Date")).to_have_value("Ημερομηνία")
    expect(staff.get_by_label("Minutes: link")).to_have_value("Πρακτικά")
    staff.get_by_role("button", name="Check the rows").click()
    expect(staff.get_by_text("Nothing has been written yet")).to_be_visible(timeout=WAIT)
    for reason in (
        "“31/02/2025” is not a date",
        "Unknown kind “Γιορτή”",
        "is also in row 2",
    ):
        expect(staff.get_by_text(reason)).to_be_visible()
    assert not PastMeeting.objects.exists()  # nothing before confirming

    staff.get_by_role("button", name="Import 3 new rows").click()
    expect(staff.get_by_text("Imported on")).to_be_visible(timeout=WAIT)
    expect(staff.get_by_label("Counts")).to_contain_text("Meetings recorded")
    staff.get_by_role("link", name="The forum's past meetings").click()
    expect(staff.get_by_text("3 meetings")).to_be_visible()

    # One more, by hand, with its minutes as a file.
    staff.get_by_role("link", name="Record a past meeting").click()
    staff.get_by_label("Date").fill((timezone.localdate() - timedelta(days=30)).isoformat())
    staff.get_by_label("Title").fill("Έκτακτη συνεδρίαση")
    minutes = tmp_path / "praktika.pdf"
    minutes.write_bytes(b"%PDF-1.4\n% the minutes of the extraordinary meeting\n")
    staff.get_by_label("File of the minutes (optional)").set_input_files(minutes)
    staff.get_by_role("button", name="Record the meeting").click()
    expect(staff.get_by_text("is recorded")).to_be_visible()
    expect(staff.get_by_text("4 meetings")).to_be_visible()

    # A visitor reads the forum's health in Greek: the meetings are counted and named.
    visitor = browser.new_context(locale="el").new_page()
    visitor.context.add_cookies(
        [{"name": "django_language", "value": "el", "url": live_server.url}]
    )
    visitor.goto(f"{live_server.url}/forums/weopengov/health/checks/forum_meetings/")
    with translation.override("el"):
        outside = translation.gettext("held outside the portal, recorded with its minutes")
        met = translation.gettext("Met")
    expect(visitor.locator("html")).to_have_attribute("lang", "el")
    expect(visitor.get_by_text(met, exact=True)).to_be_visible()
    link = visitor.get_by_role("link", name=re.compile("^Ολομέλεια: χειμώνας"))
    expect(link).to_contain_text(outside)
    expect(link).to_have_attribute("href", "https://opengov.gr/p1.pdf")
    recorded = visitor.get_by_role("link", name=re.compile("^Έκτακτη συνεδρίαση"))
    with visitor.expect_download() as download:
        recorded.click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4\n% the minutes")
