"""Whatever is typed or put in the address, the page answers with a clear message or a list,
never an error (run on SQLite and, with DATABASE_URL, on PostgreSQL)."""

import pytest

from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def something_to_find(indexed):
    with indexed():
        WorkshopFactory(title="Budget workshop", description="Open budget data")


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"q": ""}, 200, "Type what you are looking for."),
        ({"q": "   "}, 200, "Type what you are looking for."),
        ({"q": "b"}, 200, "Type at least two letters."),
        ({"q": "budget " * 143}, 200, "Only the first 200 characters were searched."),
        ({"q": "?!.,;:-()[]{}"}, 200, "signs alone find nothing"),
        ({"q": "budget\x00data"}, 200, ""),
        ({"q": "\x00"}, 200, "Type what you are looking for."),
        ({"q": "a & | !b:*"}, 200, ""),
        ({"q": "budget' OR 1=1; --"}, 200, ""),
        ({"q": '"unclosed quote budget'}, 200, ""),
        ({"q": "-budget"}, 200, ""),
        ({"q": "budget <->"}, 200, ""),
        ({"q": "budget", "forum": "no-such-forum"}, 400, "Correct the filters below"),
        ({"q": "budget", "forum": "99999999999999999999999"}, 400, "Correct the filters below"),
        ({"q": "budget", "kind": "members"}, 400, "Correct the filters below"),
        ({"q": "budget", "language": "xx"}, 400, "Correct the filters below"),
        ({"q": "budget", "from": "0000-01-01"}, 400, "Correct the filters below"),
        ({"q": "budget", "to": "99999-01-01"}, 400, "Correct the filters below"),
        ({"q": "budget", "from": "1899-12-31"}, 400, "between the years 1900 and 9000"),
        ({"q": "budget", "to": "9999-12-31"}, 400, "between the years 1900 and 9000"),
        ({"q": "budget", "from": "2030-01-01", "to": "2020-01-01"}, 400, "must not be before"),
        ({"q": "budget", "page": "-1"}, 200, ""),
        ({"q": "budget", "kind": "workshop", "page": "99999999999999999999"}, 200, ""),
        ({"q": "budget", "kind": "workshop", "page": "x"}, 200, ""),
    ],
)
def test_bad_input_gets_a_page_not_an_error(client, params, status, says):
    response = client.get("/search/", params)
    assert response.status_code == status
    page = response.content.decode()
    assert says in page
    assert "<h1>Search</h1>" in page


@pytest.mark.parametrize("q", ["budget", "BUDGET", "Budget\x00", "budget   data"])
def test_ordinary_queries_find(client, q):
    response = client.get("/search/", {"q": q})
    assert response.context["results"].total == 1
