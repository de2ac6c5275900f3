"""The open-data page and its bulk downloads: public content only."""

import csv
import io
import json

import pytest

from cocreation.models import Contribution, ReasonedResponse, Workshop
from tests.factories import ActionPlanFactory, UserFactory, WorkshopFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _contribution(workshop, status, title):
    return Contribution.objects.create(
        workshop=workshop,
        author=UserFactory(email=f"{title.lower()}@example.org"),
        kind="challenge",
        title=title,
        text="=HYPERLINK(1)",
        status=status,
    )


def test_the_page_links_every_download_and_explains_the_fields(client):
    plan = ActionPlanFactory(title="Fifth National Action Plan")

    html = client.get("/open-data/").content.decode()

    assert "Fifth National Action Plan" in html
    for url in [
        f"/action-plans/{plan.slug}/commitments.csv",
        f"/action-plans/{plan.slug}/plan.json",
        "/open-data/workshops.csv",
        "/open-data/workshops.csv?table=contributions",
        "/open-data/workshops.json",
        "/open-data/events.csv",
        "/open-data/events.json",
        "/api/docs/",
    ]:
        assert url in html
    assert "Data dictionary" in html
    assert "disposition" in html


def test_the_footer_links_the_open_data_page(client):
    assert 'href="/open-data/"' in client.get("/").content.decode()


def test_workshops_csv_and_json_hold_published_contributions_and_responses_only(client):
    workshop = WorkshopFactory(title="Open budgets")
    WorkshopFactory(title="Secret draft", status=Workshop.Status.DRAFT)
    published = _contribution(workshop, "published", "Published")
    ReasonedResponse.objects.create(
        contribution=published, disposition="under_consideration", explanation="We look at it."
    )
    _contribution(workshop, "hidden", "Hidden")
    _contribution(workshop, "submitted", "Waiting")

    workshops = _csv(client.get("/open-data/workshops.csv"))
    contributions = _csv(client.get("/open-data/workshops.csv", {"table": "contributions"}))
    data = json.loads(client.get("/open-data/workshops.json").getvalue())

    assert [w["title"] for w in workshops] == ["Open budgets"]
    assert workshops[0]["published_contributions"] == "1"
    assert [c["title"] for c in contributions] == ["Published"]
    assert contributions[0]["disposition"] == "under_consideration"
    assert contributions[0]["text"] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
    assert [w["title"] for w in data["workshops"]] == ["Open budgets"]
    assert data["workshops"][0]["published_contributions"] == 1
    listed = json.loads(client.get("/open-data/contributions.json").getvalue())
    assert [c["explanation"] for c in listed["contributions"]] == ["We look at it."]
    assert listed["contributions"][0]["workshop_id"] == data["workshops"][0]["workshop_id"]
    assert "@example.org" not in json.dumps(data) + json.dumps(listed)


def test_events_csv_and_json_hold_approved_events_without_online_links(client):
    EventFactory(title="Open budgets day", online_link="https://meet.example.org/x")
    EventFactory(title="Rejected", status="rejected")

    rows = _csv(client.get("/open-data/events.csv"))
    data = json.loads(client.get("/open-data/events.json").getvalue())

    assert [r["title"] for r in rows] == ["Open budgets day"]
    assert rows[0]["country"] == "GR"
    assert [e["title"] for e in data["events"]] == ["Open budgets day"]
    assert "meet.example.org" not in json.dumps(data)
