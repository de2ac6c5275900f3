"""The plan's public repository: checked uploads, served as downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplans.models import Document
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake but well-signed\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, plan, name, content, **extra):
    data = {"kind": "minutes", "title": "Minutes of May", "dated": "2027-05-03", **extra}
    if name:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(f"/action-plans/{plan.slug}/repository/", data)


def test_the_secretariat_files_a_document_and_anyone_downloads_it(client, secretariat):
    plan = ActionPlanFactory()
    client.force_login(secretariat)
    assert _post(client, plan, "minutes.pdf", PDF).status_code == 302
    document = Document.objects.get()
    assert (document.added_by, document.organisation) == (secretariat, secretariat.organisation)
    client.logout()
    page = client.get(f"/action-plans/{plan.slug}/repository/").content.decode()
    assert "Minutes of May" in page
    response = client.get(document.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("payload.html", b"<script>alert(1)</script>", "are not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "is not a .pdf file"),
        ("big.csv", b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(client, secretariat, settings, name, content, error):
    settings.REPOSITORY_MAX_UPLOAD_MB = 1
    plan = ActionPlanFactory()
    client.force_login(secretariat)
    response = _post(client, plan, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert 'value="Minutes of May"' in page  # the rest of the form is kept
    assert not Document.objects.exists()


def test_a_link_instead_of_a_file(client, secretariat):
    plan = ActionPlanFactory()
    client.force_login(secretariat)
    _post(client, plan, None, b"", url="https://example.org/report")
    assert Document.objects.get().url == "https://example.org/report"


def test_members_cannot_file_plan_documents(client):
    plan = ActionPlanFactory()
    client.force_login(UserFactory())
    assert _post(client, plan, "minutes.pdf", PDF).status_code == 403


def test_evidence_filed_from_the_milestone(client):
    commitment = CommitmentFactory(status="included")
    milestone = MilestoneFactory(commitment=commitment)
    official = UserFactory(organisation=commitment.lead_agency)
    client.force_login(official)
    url = commitment.get_absolute_url() + f"milestones/{milestone.pk}/evidence/"
    response = client.post(
        url,
        {"title": "Data set", "dated": "2027-05-03", "file": SimpleUploadedFile("d.csv", b"a,b")},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.milestone, document.plan) == (
        "evidence",
        milestone,
        commitment.plan,
    )
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Data set" in page
