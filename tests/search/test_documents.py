"""The text of the repository's PDF and text files is read by the worker after the upload
and searched with the rest (issue 30, item 4)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from actionplans.models import Document
from actionplans.services import DocumentUpload, document_add
from tests.factories import ActionPlanFactory, UserFactory
from tests.search.conftest import found

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(plan, name, content, title):
    secretariat = UserFactory(roles=["secretariat"])
    return document_add(
        plan=plan,
        upload=DocumentUpload(
            kind="progress_report",
            title=title,
            dated=date(2027, 5, 3),
            file=SimpleUploadedFile(name, content),
        ),
        by=secretariat,
    )


def test_a_pdfs_words_are_found(client, indexed):
    plan = ActionPlanFactory()
    pdf = HTML(
        string="<p>Progress on the beneficial ownership register: 1,200 companies.</p>"
    ).write_pdf()
    with indexed():
        document = _upload(plan, "report.pdf", pdf, "Self-assessment report")
    document.refresh_from_db()
    assert "beneficial ownership" in document.text
    response = client.get("/search/", {"q": "beneficial ownership"})
    assert found(response, "document") == ["Self-assessment report"]
    assert "ownership" in str(response.context["results"].groups[0].hits[0].snippet)


def test_a_text_file_is_read_and_a_damaged_pdf_keeps_no_text(client, indexed):
    plan = ActionPlanFactory()
    with indexed():
        _upload(plan, "notes.txt", "Minutes: whistleblower protection, Ελληνικά".encode(), "Notes")
        damaged = _upload(plan, "broken.pdf", b"%PDF-1.4\n%not really\n", "Broken")
    assert found(client.get("/search/", {"q": "whistleblower"}), "document") == ["Notes"]
    assert Document.objects.get(pk=damaged.pk).text == ""
    assert found(client.get("/search/", {"q": "broken"}), "document") == ["Broken"]
