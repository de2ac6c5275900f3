"""A developer generates a client from the published schema (openapi-python-client, strict
typed models) and reads every list of the demo data with it from a running server: every
page parses, nulls included, and nothing arrives that the schema does not describe; the
search endpoint's grouped answer and a list's ?search= parse too."""

import importlib
import pkgutil
import re
import subprocess
import sys
import threading
from html import unescape
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def server_done():
    """The live server ends a request (its database work included) after the client has the
    answer: the test waits for the end of each request it made before its database goes."""
    requests = {"started": 0, "finished": 0}
    condition = threading.Condition()

    def count(key):
        def receiver(**kwargs):
            with condition:
                requests[key] += 1
                condition.notify_all()

        return receiver

    receivers = {request_started: count("started"), request_finished: count("finished")}
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield
    with condition:
        done = condition.wait_for(lambda: requests["finished"] >= requests["started"], 30)
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)
    assert done, requests


@pytest.fixture
def generated_client(live_server, server_done, tmp_path, monkeypatch):
    """The client package generated from the schema the live server serves, imported."""
    schema = httpx.get(f"{live_server.url}/api/schema/", params={"format": "json"})
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    # No post hooks: the generated code is imported as it is, not formatted.
    (tmp_path / "config.yml").write_text("post_hooks: []\n")
    subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            tmp_path / "schema.json",
            "--config",
            tmp_path / "config.yml",
            "--meta",
            "none",
            "--output-path",
            tmp_path / "forum_api_client",
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    package = importlib.import_module("forum_api_client")
    yield package, schema.json()
    for name in [name for name in sys.modules if name.split(".")[0] == "forum_api_client"]:
        del sys.modules[name]


def read_every_page(operation, client) -> tuple[int, list]:
    count, rows, page = None, [], 1
    while page:
        response = operation.sync_detailed(client=client, page=page)
        assert response.status_code == 200, response.content
        parsed = response.parsed
        assert type(parsed).__name__.startswith("Paginated"), response.content
        count = parsed.count
        rows += parsed.results
        page = page + 1 if parsed.next_ else None
    return count, rows


def test_a_generated_client_reads_every_list_of_the_demo_data(live_server, generated_client):
    call_command("demo_data", verbosity=0)
    package, schema = generated_client
    client = package.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    endpoints = importlib.import_module("forum_api_client.api.v1")
    list_operations = {
        info.name: importlib.import_module(f"{endpoints.__name__}.{info.name}")
        for info in pkgutil.iter_modules(endpoints.__path__)
        if info.name.endswith("_list")
    }
    lists_in_schema = {
        operations["get"]["operationId"]
        for path, operations in schema["paths"].items()
        if "{" not in path and "get" in operations and path != "/api/v1/search/"
    }
    assert set(list_operations) == lists_in_schema
    assert len(list_operations) == 9
    search = importlib.import_module(f"{endpoints.__name__}.v1_search")

    read = {}
    with client:
        for name, operation in list_operations.items():
            count, rows = read_every_page(operation, client)
            assert len(rows) == count > 0, name
            assert [row for row in rows if row.additional_properties] == [], name
            read[name] = rows
        beyond_the_last_page = list_operations["v1_sectors_list"].sync_detailed(
            client=client, page=1000
        )
        # The search, grouped by kind; a workshop's title is found there and by ?search=.
        workshop = read["v1_workshops_list"][0]
        found = search.sync_detailed(client=client, q=workshop.title).parsed
        kind = package.models.V1SearchKind("workshop")
        workshops = search.sync_detailed(client=client, q=workshop.title, kind=kind).parsed
        searched = (
            list_operations["v1_workshops_list"]
            .sync_detailed(client=client, search=workshop.title)
            .parsed
        )
        refused = search.sync_detailed(client=client, q="?!")

    responses = [row.response for row in read["v1_contributions_list"]]
    assert None in responses
    assert any(response is not None and response.explanation for response in responses)
    assert beyond_the_last_page.status_code == 404
    assert beyond_the_last_page.parsed.detail
    assert found.total == sum(group.count for group in found.groups) > 0
    assert [group.additional_properties for group in found.groups] == [{}] * len(found.groups)
    assert all(hit.url.startswith(live_server.url) for g in found.groups for hit in g.hits)
    group = next(group for group in workshops.groups if group.kind == "workshop")
    assert workshops.page.count == group.count > 0
    assert workshop.title in {_text(hit.title) for hit in group.hits}
    assert workshop.id in {row.id for row in searched.results}
    assert refused.status_code == 400
    assert refused.parsed.additional_properties["q"]


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))
