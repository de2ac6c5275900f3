"""Open data: each forum's members by self-described gender, in aggregate with the
small-group rule, and left out with OPEN_DATA_GENDER=0."""

import csv
import io
import json

import pytest

from members.models import StakeholderGroup
from members.voices import MAN, WOMAN
from tests.factories import ForumFactory, UserFactory, member_of, seat_give

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def athens():
    forum = ForumFactory(slug="athens", name="Athens forum")
    organisation = member_of(StakeholderGroup.NON_GOVERNMENT).organisation
    for gender, n in ((WOMAN, 7), (MAN, 6), ("non_binary", 2), ("", 1)):
        for _i in range(n):
            seat_give(UserFactory(organisation=organisation, gender=gender), forum=forum)
    UserFactory(gender=MAN)  # takes part in no forum
    return forum


def test_the_gender_aggregate_is_open_data_with_the_small_group_rule(client, athens):
    rows = _csv(client.get("/open-data/gender.csv?forum=athens"))

    by_group = {row["group"]: (row["people"], row["shown_as"]) for row in rows}
    assert by_group == {
        "woman": ("7", "number"),
        "man": ("6", "number"),
        "another": ("", "fewer_than_5"),
        "prefer_not_to_say": ("0", "number"),
        "not_given": ("", "fewer_than_5"),
        "all": ("16", "number"),
    }
    assert {row["forum"] for row in rows} == {"athens"}
    records = json.loads(client.get("/open-data/gender.json?forum=athens").getvalue())["gender"]
    assert {r["group"]: r["people"] for r in records}["another"] is None
    assert "/open-data/gender.csv" in client.get("/open-data/").content.decode()


def test_a_setting_leaves_the_gender_aggregate_out_of_open_data(client, athens, settings):
    settings.OPEN_DATA_GENDER = False

    assert client.get("/open-data/gender.csv").status_code == 404
    assert client.get("/open-data/gender.json?forum=athens").status_code == 404
    page = client.get("/open-data/").content.decode()
    assert "/open-data/gender" not in page and "prefer_not_to_say" not in page
    # The public balance page still shows it, in aggregate.
    assert (
        "By gender (self-described)" in client.get("/forums/athens/composition/").content.decode()
    )


def test_every_forum_has_its_rows_without_a_forum_asked(client, athens):
    rows = _csv(client.get("/open-data/gender.csv"))

    assert {row["forum"] for row in rows} >= {"athens"}
    assert all(
        row["shown_as"] != "number" or row["people"] in ("0", "") or int(row["people"]) >= 5
        for row in rows
    )
