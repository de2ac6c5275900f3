"""Open data as files (issue 27): written by the worker when their records change and on a
schedule, served as files (ETag, Last-Modified, 304, gzip), each JSON with its JSON Schema,
listed on the open-data page with its size and date; no query per download."""

import csv
import gzip
import io
import json

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocreation.models import Contribution, Workshop
from events.models import Event
from forum import open_data_files as files
from forum.open_data_schemas import SCHEMAS
from forum.tasks import write_open_data
from tests.factories import ForumFactory, UserFactory, WorkshopFactory
from tests.factories.actionplans import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    assert response.status_code == 200, response
    return response.getvalue()  # the test client closes the file once it is read


def _json(client, address, **params) -> dict:
    return json.loads(_body(client.get(address, params)))


def _broker(monkeypatch):
    """As with a broker: changes queue open_data.write (captured) instead of running."""
    queued = []
    files.current_app.conf.task_always_eager = False  # restored by tests/conftest.py
    monkeypatch.setattr(files, "task_enqueue", lambda name, *args: queued.append(name) or True)
    return queued


def test_a_published_workshop_and_an_approved_event_are_in_the_files_after_the_worker_runs(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    WorkshopFactory(title="Open budgets")
    write_open_data()
    assert [w["title"] for w in _json(client, "/open-data/workshops.json")["workshops"]] == [
        "Open budgets"
    ]
    queued = _broker(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        draft = WorkshopFactory(title="Open contracting", status=Workshop.Status.DRAFT)
        event = EventFactory(title="Open Gov Week fair", status=Event.Status.SUBMITTED)
        draft.status = Workshop.Status.PUBLISHED
        draft.save()
        event.status = Event.Status.APPROVED
        event.save()

    assert queued == ["open_data.write"]  # coalesced: one write for four changes
    # Until the worker runs, the files are those it wrote.
    assert len(_json(client, "/open-data/workshops.json")["workshops"]) == 1
    write_open_data()
    titles = [w["title"] for w in _json(client, "/open-data/workshops.json")["workshops"]]
    assert titles == ["Open budgets", "Open contracting"]
    lines = _body(client.get("/open-data/events.jsonl")).decode().splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["Open Gov Week fair"]
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/open-data/events.csv")).decode())))
    assert [row["\ufeffevent_id"] for row in rows] == [str(event.pk)]


def test_without_a_broker_a_change_is_in_the_next_download(
    client, django_capture_on_commit_callbacks
):
    WorkshopFactory(title="Open budgets")
    assert len(_json(client, "/open-data/workshops.json")["workshops"]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        WorkshopFactory(title="Open contracting")

    assert len(_json(client, "/open-data/workshops.json")["workshops"]) == 2


def test_a_file_carries_etag_and_last_modified_and_a_current_copy_is_not_sent_again(client):
    WorkshopFactory()
    first = client.get("/open-data/workshops.json")
    _body(first)
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Access-Control-Allow-Origin"] == "*"
    assert 'filename="workshops.json"' in first["Content-Disposition"]

    by_etag = client.get("/open-data/workshops.json", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get("/open-data/workshops.json", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    other = client.get("/open-data/workshops.json", HTTP_IF_NONE_MATCH='"something-else"')

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert _body(other)


def test_gzip_is_sent_to_a_client_that_accepts_it_and_plain_text_to_one_that_does_not(client):
    WorkshopFactory(title="Open budgets")
    plain = client.get("/open-data/workshops.csv")
    packed = client.get("/open-data/workshops.csv", HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]
    text = _body(plain)
    assert gzip.decompress(_body(packed)) == text
    assert "Open budgets" in text.decode("utf-8-sig")


def test_every_json_file_follows_its_published_schema(client):
    forum = ForumFactory(slug="athens")
    workshop = WorkshopFactory(process__forum=forum)
    EventFactory(forum=forum)
    plan = ActionPlanFactory(forum=forum)
    commitment = CommitmentFactory(plan=plan, status="validated")
    MilestoneFactory(commitment=commitment)
    Contribution.objects.create(
        workshop=workshop,
        author=UserFactory(),
        kind="idea",
        title="Publish the budget",
        text="Monthly.",
        status="published",
    )

    for dump in files.dumps_published():
        if not dump.schema:
            continue
        schema = _json(client, f"/open-data/schema/{dump.schema}.schema.json")
        jsonschema.Draft202012Validator.check_schema(schema)
        for forum_slug in (None, "athens"):
            params = {"forum": forum_slug} if forum_slug else {}
            body = _body(client.get(f"/open-data/{dump.name}", params)).decode()
            if dump.name.endswith(".jsonl"):
                key = schema["required"][0]
                item = {**schema["properties"][key]["items"], "$defs": schema["$defs"]}
                for line in body.splitlines():
                    jsonschema.validate(json.loads(line), item)
            else:
                data = json.loads(body)
                assert data["$schema"].endswith(f"/open-data/schema/{dump.schema}.schema.json")
                jsonschema.validate(data, schema)
    commitments = _json(client, "/open-data/commitments.json")["commitments"]
    assert [c["commitment_number"] for c in commitments] == [commitment.number]
    assert len(commitments[0]["milestones"]) == 1


def test_the_page_lists_each_file_with_its_size_and_when_it_was_written(client):
    WorkshopFactory()
    before = client.get("/open-data/").content.decode()
    assert "written at the first download" in before
    assert "/open-data/schema/workshops.schema.json" in before

    write_open_data()
    page = client.get("/open-data/").content.decode()

    for name in ("workshops.json", "workshops.jsonl", "events.csv", "commitments.json"):
        assert f'href="/open-data/{name}"' in page
    assert "written at the first download" not in page
    size = files.dump_path("workshops.json").stat().st_size
    assert f"{size} bytes" in page or "KB" in page
    assert "<time datetime=" in page


def _counted(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        _body(client.get(address))
    return len(queries.captured_queries)


def test_a_download_costs_no_query_and_writing_costs_as_many_for_few_and_many_rows(client):
    forum = ForumFactory(slug="athens")
    WorkshopFactory(process__forum=forum)
    EventFactory(forum=forum)
    with CaptureQueriesContext(connection) as few:
        files.dump_write(files.DUMPS["workshops.json"], forum)
        files.dump_write(files.DUMPS["events.jsonl"], forum)
        files.dump_write(files.DUMPS["commitments.json"], forum)
    write_open_data()
    served_few = [_counted(client, "/open-data/workshops.json?forum=athens")]
    served_few.append(_counted(client, "/open-data/events.jsonl"))

    for _ in range(4):
        WorkshopFactory(process__forum=forum)
        EventFactory(forum=forum)
    with CaptureQueriesContext(connection) as many:
        files.dump_write(files.DUMPS["workshops.json"], forum)
        files.dump_write(files.DUMPS["events.jsonl"], forum)
        files.dump_write(files.DUMPS["commitments.json"], forum)
    write_open_data()
    served_many = [_counted(client, "/open-data/workshops.json?forum=athens")]
    served_many.append(_counted(client, "/open-data/events.jsonl"))

    assert len(few.captured_queries) == len(many.captured_queries)
    assert served_few == served_many == [0, 0]


def test_an_unknown_forum_or_file_is_not_found(client):
    assert client.get("/open-data/workshops.json", {"forum": "nowhere"}).status_code == 404
    assert client.get("/open-data/secrets.json").status_code == 404
    assert client.get("/open-data/schema/secrets.schema.json").status_code == 404
    assert client.post("/open-data/workshops.json").status_code == 405


def test_a_deleted_forum_has_no_files_left_after_the_worker_runs(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    forum = ForumFactory(slug="athens")
    write_open_data()
    assert files.dump_path("workshops.csv", "athens").exists()
    _broker(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        forum.delete()
    write_open_data()

    assert not files.dump_path("workshops.csv", "athens").exists()
    assert client.get("/open-data/workshops.csv", {"forum": "athens"}).status_code == 404


def test_every_schema_is_served(client):
    for name in SCHEMAS:
        response = client.get(f"/open-data/schema/{name}.schema.json")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
