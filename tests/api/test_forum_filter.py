"""Several forums: every list of the API and of the open data names each row's forum and
takes ?forum=<slug> for one forum's rows."""

import csv
import io
import json

import pytest

from cocreation.models import Contribution
from tests.api.conftest import results
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    CommitmentFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forums():
    """Two forums, each with a process and its workshop, a plan and its public commitment,
    and an event."""
    made = {}
    for slug in ["athens", "pancevo"]:
        forum = ForumFactory(slug=slug, name=f"{slug.title()} forum")
        process = CoCreationProcessFactory(forum=forum, title=f"{slug} process")
        workshop = WorkshopFactory(process=process, title=f"{slug} workshop")
        Contribution.objects.create(
            workshop=workshop,
            author=UserFactory(),
            kind="idea",
            title=f"{slug} idea",
            text="Publish the budget.",
            status="published",
        )
        plan = ActionPlanFactory(forum=forum, title=f"{slug} plan")
        CommitmentFactory(plan=plan, status="validated", title=f"{slug} commitment")
        EventFactory(forum=forum, campaign=None, title=f"{slug} event")
        made[slug] = forum
    return made


ENDPOINTS = {
    "workshops": "title",
    "processes": "title",
    "action-plans": "title",
    "commitments": "title",
    "events": "title",
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_item_names_its_forum_and_the_list_filters_by_forum(api, forums, endpoint):
    every = results(api.get(f"/api/v1/{endpoint}/"))
    one = results(api.get(f"/api/v1/{endpoint}/", {"forum": "pancevo"}))

    assert {row["forum"] for row in every} >= {"athens", "pancevo"}
    assert [row["forum"] for row in one] == ["pancevo"]
    assert one[0][ENDPOINTS[endpoint]].startswith("pancevo")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("forum", ["no-such-forum", "bad slug\x00"])
def test_an_unknown_forum_is_refused_with_the_fields_message(api, forums, endpoint, forum):
    response = api.get(f"/api/v1/{endpoint}/", {"forum": forum})

    assert response.status_code == 400
    assert list(response.json()) == ["forum"]
    assert "Select a valid choice" in response.json()["forum"][0]


def test_the_schema_documents_the_forum_filter_and_field(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    for endpoint in ENDPOINTS:
        parameters = schema["paths"][f"/api/v1/{endpoint}/"]["get"]["parameters"]
        forum = next(p for p in parameters if p["name"] == "forum")
        assert forum["schema"]["type"] == "string"
    for component in ["Workshop", "Process", "ActionPlan", "Commitment", "Event"]:
        field = schema["components"]["schemas"][component]["properties"]["forum"]
        assert field["type"] == "string" and "slug" in field["description"]


# --- Open data -------------------------------------------------------------------------------


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("address", "title"),
    [
        ("/open-data/workshops.csv", "title"),
        ("/open-data/workshops.csv?table=contributions", "title"),
        ("/open-data/events.csv", "title"),
    ],
)
def test_each_open_data_row_names_its_forum_and_one_forum_can_be_downloaded(
    client, forums, address, title
):
    every = _csv(client.get(address))
    joiner = "&" if "?" in address else "?"
    response = client.get(f"{address}{joiner}forum=athens")
    one = _csv(response)

    assert {row["forum"] for row in every} >= {"athens", "pancevo"}
    assert [row["forum"] for row in one] == ["athens"]
    assert one[0][title].startswith("athens")
    assert "-athens.csv" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("/open-data/workshops.json", "workshops"),
        ("/open-data/contributions.json", "contributions"),
        ("/open-data/events.json", "events"),
    ],
)
def test_the_json_downloads_name_the_forum_and_filter_by_it(client, forums, address, key):
    every = json.loads(client.get(address).getvalue())[key]
    one = json.loads(client.get(address, {"forum": "pancevo"}).getvalue())[key]

    assert {row["forum"] for row in every} >= {"athens", "pancevo"}
    assert {row["forum"] for row in one} == {"pancevo"}


@pytest.mark.parametrize(
    "address",
    [
        "/open-data/workshops.csv",
        "/open-data/workshops.json",
        "/open-data/events.csv",
        "/open-data/events.json",
    ],
)
@pytest.mark.parametrize("forum", ["no-such-forum", "bad slug\x00"])
def test_an_unknown_forum_in_the_open_data_is_404(client, forums, address, forum):
    assert client.get(address, {"forum": forum}).status_code == 404


def test_the_open_data_page_explains_the_forum_column_and_filter(client):
    text = client.get("/open-data/").content.decode()

    assert "add <code>?forum=</code> and its short name" in text
    assert "<code>forum</code>" in text
