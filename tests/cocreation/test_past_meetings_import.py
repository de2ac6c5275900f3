"""A forum's past meetings imported from a spreadsheet (issue 31, item 3), through the same
steps as the members' import: the columns matched (remembered apart from the members'), a
preview of every row's fate, nothing written before the secretariat confirms, the same
file twice recording nothing new, and only the forum's own secretariat using it."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from cocreation.models import PastMeeting, Workshop
from core.errors import NotAllowed
from health.checks import health_report
from members import imports
from members.models import ImportMapping, ImportRow, MemberImport
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
)
from tests.factories.health import PastMeetingFactory
from tests.support.imports import import_confirmed, import_previewed
from tests.support.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["Ημερομηνία", "Τίτλος", "Είδος", "Πρακτικά", "Κυβέρνηση", "Κοινωνία πολιτών"]
TODAY = timezone.localdate()


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def greek_meetings() -> list[list[str]]:
    """Twelve rows as a Greek secretariat keeps them: six good, one the portal held, one
    recorded already, four broken."""
    return [
        [_day(700), "1η Ολομέλεια του Φόρουμ", "Συνεδρίαση φόρουμ", "opengov.gr/1.pdf", "5", "7"],
        [_day(520), "2η Ολομέλεια του Φόρουμ", "", "https://opengov.gr/2.pdf", "", ""],
        [_day(400), "Εργαστήριο για τα ανοικτά δεδομένα", "Εργαστήριο", "", "3", "11"],
        [_day(340), "Παρακολούθηση του 5ου σχεδίου", "Implementation review", "", "", ""],
        [_day(300), "Εκπαίδευση σε ανοικτές συμβάσεις", "εκπαίδευση", "", "", ""],
        [_day(200), "3η Ολομέλεια του Φόρουμ", "forum meeting", "", "6", "6"],
        [_day(100), "Ολομέλεια στο portal", "Συνεδρίαση φόρουμ", "", "", ""],  # held here
        [_day(60), "Recorded already", "", "", "", ""],
        ["32/13/2025", "Bad date", "", "", "", ""],
        [_day(-30), "Next month", "", "", "", ""],  # in the future
        [_day(50), "Unknown kind", "Γιορτή", "", "", ""],
        [_day(700), "1η ολομέλεια του φόρουμ.", "", "", "", ""],  # row 2 again
    ]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_THREADS = False


@pytest.fixture
def forum():
    return ForumFactory(name="WeOpenGov", slug="weopengov", country="GR")


@pytest.fixture
def secretariat(forum):
    member = UserFactory(full_name="Eleni Secretariat")
    role_give(member, "secretariat", forum)
    return member


@pytest.fixture
def known(forum):
    """One meeting held in the portal, one recorded already."""
    start = timezone.now() - timedelta(days=100)
    WorkshopFactory(
        process=CoCreationProcessFactory(forum=forum),
        kind="forum_meeting",
        status="held",
        title="Ολομέλεια στο portal",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    PastMeetingFactory(forum=forum, held_on=TODAY - timedelta(days=60), title="Recorded already")


def _previewed(forum, by, data, capture, name="meetings.csv"):
    return import_previewed(forum, by, data, capture, name=name, content="meetings")


def _confirmed(member_import, by, capture):
    return import_confirmed(member_import, by, capture)


def test_the_greek_file_is_matched_previewed_and_nothing_is_recorded_before_confirming(
    forum, secretariat, known, django_capture_on_commit_callbacks
):
    data = csv_bytes(greek_meetings(), HEADER)
    member_import = _previewed(forum, secretariat, data, django_capture_on_commit_callbacks)

    assert member_import.mapping == {
        "held_on": "Ημερομηνία",
        "title": "Τίτλος",
        "kind": "Είδος",
        "minutes": "Πρακτικά",
        "government": "Κυβέρνηση",
        "non_government": "Κοινωνία πολιτών",
    }
    assert member_import.state == MemberImport.State.PREVIEWED
    assert (member_import.rows_new, member_import.rows_existing, member_import.rows_error) == (
        6,
        2,
        4,
    )
    rows = {row.number: row for row in member_import.rows.all()}
    assert rows[2].values["kind_code"] == "forum_meeting"
    assert rows[2].values["minutes_url"] == "https://opengov.gr/1.pdf"
    assert rows[4].values["kind_code"] == "cocreation"
    assert rows[5].values["kind_code"] == "implementation_review"
    assert rows[6].values["kind_code"] == "training"
    assert rows[8].matches["workshop"] == Workshop.objects.get(title="Ολομέλεια στο portal").pk
    assert rows[9].matches["meeting_title"] == "Recorded already"
    reasons = {n: " ".join(imports.row_reasons(rows[n])) for n in (10, 11, 12, 13)}
    assert "is not a date" in reasons[10]
    assert "is after today" in reasons[11]
    assert "Unknown kind “Γιορτή”" in reasons[12]
    assert "also in row 2" in reasons[13]
    assert PastMeeting.objects.filter(forum=forum).count() == 1  # only the one recorded before


def test_confirming_records_the_new_meetings_and_the_same_file_again_records_nothing(
    forum, secretariat, known, django_capture_on_commit_callbacks
):
    data = csv_bytes(greek_meetings(), HEADER)
    member_import = _previewed(forum, secretariat, data, django_capture_on_commit_callbacks)
    member_import = _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)

    assert member_import.state == MemberImport.State.DONE
    assert dict(imports.outcome_counts(member_import)) == {
        "Meetings recorded": 6,
        "Recorded already": 0,
    }
    meetings = PastMeeting.objects.filter(forum=forum, member_import=member_import)
    assert meetings.count() == 6
    first = meetings.get(title="1η Ολομέλεια του Φόρουμ")
    assert (first.present_government, first.present_non_government) == (5, 7)
    assert first.recorded_by == secretariat
    assert first.held_on == TODAY - timedelta(days=700)

    again = _previewed(forum, secretariat, data, django_capture_on_commit_callbacks)
    assert (again.rows_new, again.rows_existing, again.rows_error) == (0, 8, 4)
    assert PastMeeting.objects.filter(forum=forum).count() == 7


def test_forum_health_counts_the_imported_meetings(
    forum, secretariat, django_capture_on_commit_callbacks
):
    rows = [
        [_day(500), "Plenary one", "", "", "", ""],
        [_day(330), "Plenary two", "", "", "", ""],
        [_day(160), "Plenary three", "", "", "", ""],
    ]
    header = ["Date", "Title", "Kind", "Minutes", "Government", "Civil society"]
    data = csv_bytes(rows, header, encoding="utf-8", delimiter=",")
    before = next(c for c in health_report(forum=forum).checks if c.key == "forum_meetings")
    assert before.state == "not_met"

    _confirmed(
        _previewed(forum, secretariat, data, django_capture_on_commit_callbacks),
        secretariat,
        django_capture_on_commit_callbacks,
    )

    after = next(c for c in health_report(forum=forum).checks if c.key == "forum_meetings")
    assert after.state in ("met", "at_risk")
    assert "3 meetings" in after.summary or "deadline is close" in after.summary
    assert [e.text.split(",")[0] for e in after.evidence] == [
        "Plenary one",
        "Plenary two",
        "Plenary three",
    ]


def test_an_xlsx_with_date_cells_is_read(forum, secretariat, django_capture_on_commit_callbacks):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Title", "Kind"])
    sheet.append([date(2025, 3, 14), "Plenary in Porto", "Forum meeting"])
    sheet.append([date(2025, 9, 30), "Revisão da implementação", "Implementation review"])
    buffer = io.BytesIO()
    book.save(buffer)

    member_import = _previewed(
        forum, secretariat, buffer.getvalue(), django_capture_on_commit_callbacks, "m.xlsx"
    )

    assert member_import.rows_new == 2
    days = sorted(r.values["day"] for r in member_import.rows.all())
    assert days == ["2025-03-14", "2025-09-30"]


def test_the_columns_are_remembered_apart_from_the_members_import(
    forum, secretariat, django_capture_on_commit_callbacks
):
    header = ["When", "Name", "Kind"]
    data = csv_bytes([[_day(20), "Plenary", ""]], header, encoding="utf-8", delimiter=",")
    member_import = imports.member_import_upload(
        forum=forum,
        file=SimpleUploadedFile("m.csv", data),
        by=secretariat,
        default_language="en",
        content="meetings",
    )
    assert "held_on" not in member_import.mapping  # "When" is no usual name for the date
    with django_capture_on_commit_callbacks(execute=True):
        imports.member_import_map(
            member_import=member_import,
            mapping={"held_on": "When", "title": "Name"},
            default_language="en",
            by=secretariat,
        )
    second = imports.member_import_upload(
        forum=forum,
        file=SimpleUploadedFile("m.csv", data),
        by=secretariat,
        default_language="en",
        content="meetings",
    )
    assert second.mapping == {"held_on": "When", "title": "Name", "kind": "Kind"}
    assert ImportMapping.objects.get(forum=forum, content="meetings").mapping["name"] == "title"
    assert not ImportMapping.objects.filter(forum=forum, content="members").exists()


def test_the_date_and_the_title_must_be_matched(forum, secretariat):
    data = csv_bytes([[_day(20), "Plenary"]], ["Day", "Subject"], encoding="utf-8")
    member_import = imports.member_import_upload(
        forum=forum,
        file=SimpleUploadedFile("m.csv", data),
        by=secretariat,
        default_language="en",
        content="meetings",
    )
    with pytest.raises(imports.MemberImportError) as refused:
        imports.member_import_map(
            member_import=member_import,
            mapping={"title": "Subject"},
            default_language="en",
            by=secretariat,
        )
    assert refused.value.fields == {"held_on": ["Choose the column of the meetings' dates."]}


def test_the_pages_walk_upload_columns_preview_confirm_result(
    client, forum, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    page = client.get("/manage/weopengov/imports/?content=meetings").content.decode()
    assert "Import past meetings" in page
    assert "default_language" not in page  # nobody is written to: no language asked
    data = csv_bytes(greek_meetings()[:6], HEADER)
    response = client.post(
        "/manage/weopengov/imports/?content=meetings",
        {"file": SimpleUploadedFile("meetings.csv", data)},
    )
    assert response.status_code == 302
    detail = response.url
    page = client.get(detail).content.decode()
    assert "Columns of meetings.csv" in page and 'value="Ημερομηνία" selected' in page
    member_import = MemberImport.objects.get()
    assert member_import.content == "meetings"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/manage/weopengov/imports/{member_import.pk}/columns/", member_import.mapping)
    page = client.get(detail).content.decode()
    assert "confirm to record the new meetings" in page
    assert "Import 6 new rows" in page and "3η Ολομέλεια του Φόρουμ" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/manage/weopengov/imports/{member_import.pk}/confirm/")
    page = client.get(detail).content.decode()
    assert "Imported on" in page and "Meetings recorded" in page
    assert PastMeeting.objects.filter(forum=forum).count() == 6
    listing = client.get("/manage/weopengov/imports/").content.decode()
    assert "Past meetings" in listing  # the earlier imports say what each held


def test_an_unknown_kind_of_import_is_not_found(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/manage/weopengov/imports/?content=payroll").status_code == 404
    assert client.get("/manage/weopengov/imports/?content=%00").status_code == 404


def test_only_the_forums_own_secretariat_imports_its_past_meetings(client, forum, secretariat):
    other = UserFactory()
    role_give(other, "secretariat", ForumFactory(slug="gdansk", name="Gdańsk partners"))
    member = UserFactory()
    data = csv_bytes([[_day(20), "Plenary"]], ["Date", "Title"], encoding="utf-8")
    for outsider in (other, member):
        client.force_login(outsider)
        assert client.get("/manage/weopengov/imports/?content=meetings").status_code == 403
        response = client.post(
            "/manage/weopengov/imports/?content=meetings",
            {"file": SimpleUploadedFile("m.csv", data)},
        )
        assert response.status_code == 403
        with pytest.raises(NotAllowed):
            imports.member_import_upload(
                forum=forum,
                file=SimpleUploadedFile("m.csv", data),
                by=outsider,
                default_language="en",
                content="meetings",
            )
    assert not MemberImport.objects.exists()
    assert not ImportRow.objects.exists()


def test_a_reason_lists_the_kinds_in_the_readers_language(
    forum, secretariat, django_capture_on_commit_callbacks
):
    data = csv_bytes([[_day(20), "Γιορτή λήξης", "Γιορτή"]], ["Date", "Title", "Kind"])
    member_import = _previewed(forum, secretariat, data, django_capture_on_commit_callbacks)
    row = member_import.rows.get()

    with translation.override("el"):
        greek = " ".join(imports.row_reasons(row))
    english = " ".join(imports.row_reasons(row))

    assert "Συνεδρίαση του φόρουμ" in greek and "Forum meeting" not in greek
    assert "Forum meeting" in english
