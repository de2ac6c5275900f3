"""Importing organisations and people from a spreadsheet (issue 31, item 1): the columns
matched (and remembered), a preview of every row's fate before anything is written, the
worker writing on confirmation (one invitation per new person, in their language), the
rejected rows as CSV, the same file twice creating nothing, and only the forum's own
secretariat seeing or using any of it."""

import csv
import io
import os
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import NotAllowed
from core.personal_data import personal_data_erase, personal_data_expire
from members import imports
from members.models import ImportMapping, ImportRow, Invitation, MemberImport, Organisation
from tests.factories import (
    OrganisationFactory,
    SectorFactory,
    UserFactory,
)
from tests.support.imports import import_confirmed, import_previewed
from tests.support.spreadsheets import GREEK_SECTORS, csv_bytes, greek_csv

pytestmark = pytest.mark.django_db

BROKEN_ROWS = [8, 24, 62, 98, 151]  # the file's row numbers (the header is row 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_THREADS = False  # the worker's steps run at once, at the commit


@pytest.fixture
def sectors():
    names = {
        "civil-society": ("Civil-society organisation", "non_government"),
        "national-public-body": ("National public body", "government"),
        "regional-local-government": ("Regional or local government", "government"),
        "academia": ("Academia and research", "non_government"),
    }
    return {
        slug: SectorFactory(slug=slug, name=name, stakeholder_group=group)
        for slug, (name, group) in names.items()
    }


@pytest.fixture
def kede(sectors):
    return OrganisationFactory(
        name="ΚΕΔΕ", sector=sectors["regional-local-government"], country="GR"
    )


def _upload(forum, by, data: bytes, name="members.csv"):
    return imports.member_import_upload(
        forum=forum, file=SimpleUploadedFile(name, data), by=by, default_language="el"
    )


def _previewed(forum, by, data: bytes, capture, name="members.csv"):
    return import_previewed(forum, by, data, capture, name=name)


def _confirmed(member_import, by, capture):
    return import_confirmed(member_import, by, capture)


def test_the_greek_file_is_read_mapped_and_previewed_without_writing_anything(
    forum, secretariat, kede, django_capture_on_commit_callbacks
):
    organisations = Organisation.objects.count()
    member_import = _upload(forum, secretariat, greek_csv())
    assert member_import.encoding == "cp1253" and member_import.delimiter == ";"
    assert member_import.mapping == {
        "organisation": "Φορέας",
        "sector": "Τομέας",
        "country": "Χώρα",
        "website": "Ιστοσελίδα",
        "name": "Ονοματεπώνυμο",
        "email": "Email",
        "language": "Γλώσσα",
    }
    member_import = _previewed(forum, secretariat, greek_csv(), django_capture_on_commit_callbacks)
    assert member_import.state == MemberImport.State.PREVIEWED
    assert member_import.rows_total == 200
    assert member_import.rows_error == 5
    assert member_import.rows_new == 195
    errors = {
        row.number: imports.row_reasons(row) for row in member_import.rows.filter(status="error")
    }
    assert sorted(errors) == BROKEN_ROWS
    assert "Invalid e-mail address" in errors[8][0]
    assert "also in row 4" in errors[24][0]
    assert "Unknown sector “Ποδόσφαιρο”" in errors[62][0]
    assert "Close to an existing organisation: “ΚΕΔΕ”" in errors[98][0]
    assert "A formula in the column “Ονοματεπώνυμο”" in errors[151][0]
    # Nothing is written before the secretariat confirms.
    assert Organisation.objects.count() == organisations
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    kede_row = member_import.rows.get(number=16)  # person 15: ΚΕΔΕ, which exists
    assert kede_row.matches["organisation"] == kede.pk


def test_confirming_invites_each_new_person_once_in_their_language(
    forum, secretariat, kede, django_capture_on_commit_callbacks
):
    # The file's first 30 people: rows 8 and 24 are broken (the 200-row file is the
    # browser test's and the preview's).
    data = greek_csv(30)
    member_import = _previewed(forum, secretariat, data, django_capture_on_commit_callbacks)
    member_import = _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)
    assert member_import.state == MemberImport.State.DONE
    assert member_import.people_invited == 28
    assert member_import.organisations_created == 7  # all but ΚΕΔΕ
    assert Invitation.objects.filter(forum=forum).count() == 28
    assert len(mail.outbox) == 28
    greek = Invitation.objects.get(email="person1@example.gr")
    assert greek.language == "el" and greek.organisation.name == "Διεθνής Διαφάνεια Ελλάδας"
    assert Invitation.objects.get(email="person5@example.gr").language == "en"
    (message,) = [m for m in mail.outbox if m.to == ["person1@example.gr"]]
    assert "WeOpenGov" in message.subject or "WeOpenGov" in message.body
    created = Organisation.objects.get(name="Δήμος Αθηναίων")
    assert created.sector.slug == "regional-local-government"
    assert created.country == "GR" and created.website == "https://cityofathens.gr"


def test_the_same_file_twice_creates_nothing_new(
    forum, secretariat, kede, django_capture_on_commit_callbacks
):
    first = _previewed(forum, secretariat, greek_csv(30), django_capture_on_commit_callbacks)
    _confirmed(first, secretariat, django_capture_on_commit_callbacks)
    organisations, invitations, sent = (
        Organisation.objects.count(),
        Invitation.objects.count(),
        len(mail.outbox),
    )
    again = _previewed(forum, secretariat, greek_csv(30), django_capture_on_commit_callbacks)
    assert (again.rows_new, again.rows_existing, again.rows_error) == (0, 28, 2)
    again = _confirmed(again, secretariat, django_capture_on_commit_callbacks)
    assert again.people_invited == 0 and again.organisations_created == 0
    assert Organisation.objects.count() == organisations
    assert Invitation.objects.count() == invitations
    assert len(mail.outbox) == sent


def test_the_mapping_is_remembered_for_the_forums_next_import(
    forum, secretariat, sectors, django_capture_on_commit_callbacks
):
    data = csv_bytes(
        [["Vouliwatch", "Civil-society organisation", "Maria", "m@example.gr"]],
        ["Org X", "Kind of body", "Who", "Where to write"],
        encoding="utf-8",
        delimiter=",",
    )
    member_import = _upload(forum, secretariat, data)
    assert "email" not in member_import.mapping
    with django_capture_on_commit_callbacks(execute=True):
        imports.member_import_map(
            member_import=member_import,
            mapping={
                "organisation": "Org X",
                "sector": "Kind of body",
                "name": "Who",
                "email": "Where to write",
            },
            default_language="en",
            by=secretariat,
        )
    assert ImportMapping.objects.get(forum=forum).mapping["wheretowrite"] == "email"
    second = _upload(forum, secretariat, data)
    assert second.mapping == {
        "organisation": "Org X",
        "sector": "Kind of body",
        "name": "Who",
        "email": "Where to write",
    }


def test_a_mapping_without_organisations_or_with_a_column_twice_is_refused(forum, secretariat):
    member_import = _upload(forum, secretariat, greek_csv(3))
    with pytest.raises(imports.MemberImportError) as error:
        imports.member_import_map(
            member_import=member_import,
            mapping={"name": "Ονοματεπώνυμο", "email": "Email"},
            default_language="el",
            by=secretariat,
        )
    assert "organisation" in error.value.fields
    with pytest.raises(imports.MemberImportError, match="two fields"):
        imports.member_import_map(
            member_import=member_import,
            mapping={"organisation": "Email", "name": "Ονοματεπώνυμο", "email": "Email"},
            default_language="el",
            by=secretariat,
        )
    assert not ImportRow.objects.exists()


def test_an_xlsx_with_merged_header_and_a_formula(
    forum, secretariat, sectors, django_capture_on_commit_callbacks
):
    import openpyxl  # noqa: PLC0415 -- only the XLSX tests write one

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Οργανισμός"
    sheet.merge_cells("A1:B1")
    sheet["C1"] = "Πρόσωπο"
    sheet.merge_cells("C1:D1")
    sheet.append(["Όνομα", "Τομέας", "Όνομα", "Email"])
    sheet.append(["Vouliwatch", GREEK_SECTORS["civil-society"], "Μαρία", "m@example.gr"])
    sheet.append(["Vouliwatch", GREEK_SECTORS["civil-society"], '=A3&"x"', "n@example.gr"])
    sheet["A20"] = None
    out = io.BytesIO()
    workbook.save(out)
    member_import = _previewed(
        forum, secretariat, out.getvalue(), django_capture_on_commit_callbacks, "m.xlsx"
    )
    assert member_import.mapping == {
        "organisation": "Οργανισμός: Όνομα",
        "sector": "Οργανισμός: Τομέας",
        "name": "Πρόσωπο: Όνομα",
        "email": "Πρόσωπο: Email",
    }
    assert (member_import.rows_total, member_import.rows_new, member_import.rows_error) == (
        2,
        1,
        1,
    )
    formula = member_import.rows.get(status="error")
    assert formula.number == 4 and formula.cells[2] == '=A3&"x"'  # text, never evaluated


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither CSV nor"),
        (b"just one column\nand nothing else\n", "Only one column"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused_beside_the_field_and_nothing_is_stored(
    client, forum, secretariat, data, message
):
    client.force_login(secretariat)
    response = client.post(
        "/manage/weopengov/imports/",
        {"file": SimpleUploadedFile("x.csv", data), "default_language": "el"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MemberImport.objects.exists()


def test_the_rejected_rows_csv_names_each_row_and_why(
    client, forum, secretariat, kede, django_capture_on_commit_callbacks
):
    member_import = _previewed(forum, secretariat, greek_csv(), django_capture_on_commit_callbacks)
    _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)
    client.force_login(secretariat)
    response = client.get(f"/manage/weopengov/imports/{member_import.pk}/rejected.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Row",
        "Φορέας",
        "Τομέας",
        "Χώρα",
        "Ιστοσελίδα",
        "Ονοματεπώνυμο",
        "Email",
        "Γλώσσα",
        "Reason",
    ]
    assert [int(row[0]) for row in rows[1:]] == BROKEN_ROWS
    by_row = {int(row[0]): row for row in rows[1:]}
    assert "Invalid e-mail address" in by_row[8][-1]
    assert "Unknown sector" in by_row[62][-1]
    # The formula is neutralised: a spreadsheet opening the CSV shows it as text.
    assert by_row[151][5].startswith("'=HYPERLINK")


def test_the_pages_walk_upload_columns_preview_confirm_result(
    client, forum, secretariat, kede, settings, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_THREADS = False
    client.force_login(secretariat)
    response = client.post(
        "/manage/weopengov/imports/",
        {"file": SimpleUploadedFile("members.csv", greek_csv(20)), "default_language": "el"},
    )
    assert response.status_code == 302
    detail = response.url
    page = client.get(detail).content.decode()
    assert "Columns of members.csv" in page and 'value="Φορέας" selected' in page
    member_import = MemberImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/manage/weopengov/imports/{member_import.pk}/columns/",
            {**member_import.mapping, "default_language": "el"},
        )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "Nothing has been written yet" in page
    assert "Import 19 new rows" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/weopengov/imports/{member_import.pk}/confirm/")
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "Imported on" in page
    assert Invitation.objects.count() == 19
    # Confirming twice does nothing more.
    client.post(f"/manage/weopengov/imports/{member_import.pk}/confirm/")
    assert Invitation.objects.count() == 19


def test_another_forums_secretariat_can_neither_see_nor_use_the_import(
    client, forum, secretariat, other_secretariat, kede, django_capture_on_commit_callbacks
):
    member_import = _previewed(forum, secretariat, greek_csv(5), django_capture_on_commit_callbacks)
    client.force_login(other_secretariat)
    base = f"/manage/weopengov/imports/{member_import.pk}"
    for url in ("/manage/weopengov/imports/", f"{base}/", f"{base}/rejected.csv"):
        assert client.get(url).status_code == 403
    for url in (f"{base}/columns/", f"{base}/confirm/", "/manage/weopengov/imports/"):
        assert client.post(url).status_code == 403
    # Under its own forum's address, another forum's import does not exist.
    assert client.get(f"/manage/gdansk/imports/{member_import.pk}/").status_code == 404
    assert client.post(f"/manage/gdansk/imports/{member_import.pk}/confirm/").status_code == 404
    assert client.get(f"/manage/gdansk/imports/{member_import.pk}/rejected.csv").status_code == 404
    # And the services refuse it whoever calls them.
    with pytest.raises(NotAllowed):
        imports.member_import_confirm(member_import=member_import, by=other_secretariat)
    with pytest.raises(NotAllowed):
        _upload(forum, other_secretariat, greek_csv(3))
    member_import.refresh_from_db()
    assert member_import.state == MemberImport.State.PREVIEWED
    assert not Invitation.objects.exists()
    # Its invitations, once made, are not the other secretariat's either.
    client.force_login(other_secretariat)
    assert client.get("/manage/weopengov/invitations/").status_code == 403


def test_a_member_without_a_role_gets_403(client, forum, secretariat):
    client.force_login(UserFactory())
    assert client.get("/manage/weopengov/imports/").status_code == 403


def _preview_queries(client, member_import):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/manage/weopengov/imports/{member_import.pk}/")
    assert response.status_code == 200
    return len(queries)


def test_the_preview_page_costs_the_same_queries_for_10_and_100_rows(
    client, forum, secretariat, kede, django_capture_on_commit_callbacks
):
    small = _previewed(forum, secretariat, greek_csv(10), django_capture_on_commit_callbacks)
    large = _previewed(forum, secretariat, greek_csv(100), django_capture_on_commit_callbacks)
    client.force_login(secretariat)
    _preview_queries(client, small)  # the session and the roles, read once
    assert _preview_queries(client, small) == _preview_queries(client, large)
    errors_only = client.get(f"/manage/weopengov/imports/{large.pk}/?show=error")
    assert errors_only.content.decode().count('class="badge badge--error"') == 4  # 151 is beyond


def test_an_email_twice_unknown_language_and_bad_seat_date(
    forum, secretariat, sectors, django_capture_on_commit_callbacks
):
    header = ["Organisation", "Sector", "Name", "Email", "Language", "Seat"]
    rows = [
        ["Vouliwatch", "civil-society", "Maria", "maria@example.gr", "el", "2026-02-01"],
        ["Vouliwatch", "", "Maria again", "MARIA@example.gr", "el", ""],
        ["Vouliwatch", "", "Nikos", "nikos@example.gr", "Klingon", ""],
        ["Vouliwatch", "", "Eleni", "eleni@example.gr", "pt-PT", "soon"],
        ["Vouliwatch", "", "Kostas", "kostas@example.gr", "Ελληνικά", "ναι"],
    ]
    member_import = _previewed(
        forum,
        secretariat,
        csv_bytes(rows, header, encoding="utf-8", delimiter=","),
        django_capture_on_commit_callbacks,
    )
    by_number = {row.number: row for row in member_import.rows.all()}
    assert by_number[2].status == "new" and by_number[2].values["seat_from"] == "2026-02-01"
    assert "also in row 2" in imports.row_reasons(by_number[3])[0]
    assert "Unknown language “Klingon”" in imports.row_reasons(by_number[4])[0]
    assert "not a date for the seat" in imports.row_reasons(by_number[5])[0]
    assert by_number[6].values["language_code"] == "el" and by_number[6].values["seat_from"]


def test_a_new_organisation_first_named_in_a_broken_row_is_made_by_its_next_clean_row(
    forum, secretariat, sectors, django_capture_on_commit_callbacks
):
    """Without ΚΕΔΕ in the portal (the demo's case), the file's first ΚΕΔΕ row is broken (an
    invalid e-mail): the next clean ΚΕΔΕ row makes it, and "Κ.Ε.Δ.Ε." is close to it."""
    data = greek_csv(100)  # the first 100 people: row 98 is "Κ.Ε.Δ.Ε."
    member_import = _previewed(forum, secretariat, data, django_capture_on_commit_callbacks)
    assert (member_import.rows_new, member_import.rows_error) == (96, 4)
    close = member_import.rows.get(number=98)
    assert "Close to “ΚΕΔΕ” in row 16" in imports.row_reasons(close)[0]
    member_import = _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)
    assert member_import.state == MemberImport.State.DONE
    assert member_import.organisations_created == 8
    assert Organisation.objects.get(name="ΚΕΔΕ").sector.slug == "regional-local-government"
    assert Invitation.objects.count() == 96


def test_an_import_stopped_by_an_error_goes_on_where_it_stopped(
    forum, secretariat, kede, django_capture_on_commit_callbacks, monkeypatch
):
    member_import = _previewed(
        forum, secretariat, greek_csv(30), django_capture_on_commit_callbacks
    )
    send = imports.services.invitation_send
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("the database went away")
        return send(**kwargs)

    monkeypatch.setattr(imports.services, "invitation_send", failing)
    member_import = _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)
    assert member_import.state == MemberImport.State.FAILED
    assert Invitation.objects.count() == 9  # the rows before the error, each whole
    member_import = _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)
    assert member_import.state == MemberImport.State.DONE
    assert Invitation.objects.count() == 28 == member_import.people_invited
    assert len(mail.outbox) == 28


def test_a_row_refused_while_writing_leaves_nothing_and_the_next_row_makes_its_organisation(
    forum, secretariat, kede, django_capture_on_commit_callbacks, monkeypatch
):
    member_import = _previewed(
        forum, secretariat, greek_csv(12), django_capture_on_commit_callbacks
    )
    send = imports.services.invitation_send

    def refusing(**kwargs):
        if kwargs["email"] == "person1@example.gr":  # the first row of a new organisation
            raise imports.services.InvitationError("Refused for the test.")
        return send(**kwargs)

    monkeypatch.setattr(imports.services, "invitation_send", refusing)
    member_import = _confirmed(member_import, secretariat, django_capture_on_commit_callbacks)
    assert member_import.state == MemberImport.State.DONE
    refused = member_import.rows.get(number=2)
    assert refused.status == "error"
    assert imports.row_reasons(refused) == ["Not imported: Refused for the test."]
    assert not Invitation.objects.filter(email="person1@example.gr").exists()
    # Row 10 (person 9) names the same organisation: it is made then, once.
    assert Organisation.objects.filter(name="Διεθνής Διαφάνεια Ελλάδας").count() == 1
    assert Invitation.objects.get(email="person9@example.gr").organisation.name == (
        "Διεθνής Διαφάνεια Ελλάδας"
    )
    assert member_import.rows_error == 2 and member_import.people_invited == 10


def test_imports_are_forgotten_after_90_days_and_a_deleted_accounts_rows_at_once(
    forum, secretariat, kede, django_capture_on_commit_callbacks, settings
):
    member_import = _previewed(forum, secretariat, greek_csv(5), django_capture_on_commit_callbacks)
    stored = member_import.file.path
    person = UserFactory(email="person2@example.gr")
    personal_data_erase(member=person)
    assert not ImportRow.objects.filter(values__email="person2@example.gr").exists()
    assert ImportRow.objects.filter(values__email="person1@example.gr").exists()

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_expire(now=timezone.now() + timedelta(days=89))
    assert MemberImport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_expire(now=timezone.now() + timedelta(days=91))
    assert not MemberImport.objects.exists() and not ImportRow.objects.exists()
    assert not os.path.exists(stored)
