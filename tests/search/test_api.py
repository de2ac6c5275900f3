"""The search in the API: /api/v1/search/ answers what /search/ shows (grouped by kind, only
what the one who asks may open, the page's filters and their validation), and `?search=` on
each list of a searchable kind keeps the rows the search finds, by relevance. Nothing typed
gives a 500; the queries do not grow with the results. Run on SQLite and, with
DATABASE_URL, on PostgreSQL."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.search import selectors
from tests.api.conftest import _own_throttle_cache  # noqa: F401 -- the API tests' fixture
from tests.factories import (
    CommitmentFactory,
    ForumFactory,
    MilestoneFactory,
    OrganisationFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.actionplans import ActionPlanFactory
from tests.factories.events import EventFactory
from tests.factories.health import ContributionFactory
from tests.search.test_visibility import (  # noqa: F401 -- its fixture, read by `people`
    EXPECTED,
    people_and_things,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "facilitator", "secretariat"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def people(request):
    """The visibility test's people and things (tests/search/test_visibility.py)."""
    return request.getfixturevalue("people_and_things")


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def titles(response, kind=None) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    if body["fuzzy"]:  # titles alike, not the words found
        return []
    return [
        _text(hit["title"])
        for group in body["groups"]
        if kind is None or group["kind"] == kind
        for hit in group["hits"]
    ]


def listed(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- The search endpoint -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_finds_through_the_api_exactly_what_they_may_open(api, people, role):
    user = people[role]
    if user is not None:
        api.force_authenticate(user)
    for word, finders in EXPECTED.items():
        found = titles(api.get("/api/v1/search/", {"q": word}))
        if role in finders:
            assert any(word in title.lower() for title in found), (role, word, found)
        else:
            assert found == [], (role, word, found)


def test_a_token_finds_what_its_member_may_open(api, people):
    key = Token.objects.create(user=people["secretariat"]).key
    assert titles(api.get("/api/v1/search/", {"q": "draftshopwort"})) == []
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert titles(api.get("/api/v1/search/", {"q": "draftshopwort"})) == ["Draftshopwort session"]


def test_the_answer_has_the_groups_counts_and_hits_of_the_page(api, indexed):
    forum = ForumFactory(name="Pančevo forum", slug="pancevo")
    with indexed():
        workshop = WorkshopFactory(
            title="Budget <b>workshop</b>",
            description="Open budget data for everyone",
            language="en",
            process__forum=forum,
        )
        ContributionFactory(workshop=workshop, title="Budget idea", text="A budget portal.")
        ContributionFactory(workshop=workshop, title="Other idea", text="About budget lines.")

    body = api.get("/api/v1/search/", {"q": "budget"}).json()

    assert body["query"] == "budget" and body["truncated"] is False and body["fuzzy"] is False
    assert body["total"] == 3 and body["page"] is None
    assert [(g["kind"], g["label"], g["count"]) for g in body["groups"]] == [
        ("workshop", "Workshops", 1),
        ("contribution", "Contributions", 2),
    ]
    hit = body["groups"][0]["hits"][0]
    assert _text(hit["title"]) == "Budget &lt;b&gt;workshop&lt;/b&gt;"  # escaped, no tag
    assert "<mark>" in hit["title"] and "<b>" not in hit["title"]
    assert "<mark>" in hit["snippet"] and "budget" in _text(hit["snippet"]).lower()
    assert hit["url"] == f"http://testserver{workshop.get_absolute_url()}"
    assert hit["forum"] == {"slug": "pancevo", "name": "Pančevo forum"}
    assert hit["language"] == "en"
    assert hit["date"] == workshop.starts_at.astimezone(workshop.zone).date().isoformat()
    # The titles with the highest rank first: a title with the word above a text with it.
    assert [_text(h["title"]) for h in body["groups"][1]["hits"]] == ["Budget idea", "Other idea"]


def test_one_kind_is_paged_with_links_and_the_other_kinds_keep_their_counts(api, indexed):
    with indexed():
        WorkshopFactory.create_batch(23, title="Budget workshop")
        EventFactory(title="Budget event")

    first = api.get("/api/v1/search/", {"q": "budget", "kind": "workshop"}).json()

    assert first["page"]["number"] == 1 and first["page"]["count"] == 23
    assert first["page"]["previous"] is None
    assert {g["kind"]: g["count"] for g in first["groups"]} == {"workshop": 23, "event": 1}
    assert {g["kind"]: len(g["hits"]) for g in first["groups"]} == {"workshop": 20, "event": 0}
    second = api.get(first["page"]["next"]).json()
    assert second["page"]["number"] == 2 and second["page"]["next"] is None
    assert len(second["groups"][0]["hits"]) == 3
    assert api.get(second["page"]["previous"]).json() == first
    assert "page=" not in second["page"]["previous"]
    beyond = api.get("/api/v1/search/", {"q": "budget", "kind": "workshop", "page": 3})
    assert beyond.status_code == 404 and beyond.json()["detail"]


def test_filters_by_forum_language_date_and_kind(api, indexed):
    city = ForumFactory(name="City forum", slug="city")
    with indexed():
        WorkshopFactory(title="Budget workshop", language="en")
        local = WorkshopFactory(
            title="Budget workshop in the city",
            language="sr",
            process__forum=city,
            starts_at=timezone.now() + timedelta(days=400),
        )
        ActionPlanFactory(title="Budget plan", forum=city)
    by_slug = titles(api.get("/api/v1/search/", {"q": "budget", "forum": "city"}))
    by_number = titles(api.get("/api/v1/search/", {"q": "budget", "forum": str(city.pk)}))
    assert set(by_slug) == set(by_number) == {"Budget workshop in the city", "Budget plan"}
    assert titles(api.get("/api/v1/search/", {"q": "budget", "language": "sr"})) == [local.title]
    later = (timezone.localdate() + timedelta(days=100)).isoformat()
    assert titles(api.get("/api/v1/search/", {"q": "budget", "from": later})) == [local.title]
    assert titles(api.get("/api/v1/search/", {"q": "budget", "kind": "plan"})) == ["Budget plan"]


@pytest.fixture
def something_to_find(indexed):
    with indexed():
        WorkshopFactory(title="Budget workshop", description="Open budget data")


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({}, 400, "q"),
        ({"q": ""}, 400, "q"),
        ({"q": "   "}, 400, "q"),
        ({"q": "\x00"}, 400, "q"),
        ({"q": "b"}, 400, "q"),
        ({"q": "?!.,;:-()[]{}"}, 400, "q"),
        ({"q": "budget " * 143}, 200, ""),
        ({"q": "budget\x00data"}, 200, ""),
        ({"q": "a & | !b:*"}, 200, ""),
        ({"q": "budget' OR 1=1; --"}, 200, ""),
        ({"q": '"unclosed quote budget'}, 200, ""),
        ({"q": "-budget"}, 200, ""),
        ({"q": "budget <->"}, 200, ""),
        ({"q": "budget", "forum": "no-such-forum"}, 400, "forum"),
        ({"q": "budget", "forum": "99999999999999999999999"}, 400, "forum"),
        ({"q": "budget", "forum": "a\x00b"}, 400, "forum"),
        ({"q": "budget", "kind": "members"}, 400, "kind"),
        ({"q": "budget", "language": "xx"}, 400, "language"),
        ({"q": "budget", "from": "0000-01-01"}, 400, "from"),
        ({"q": "budget", "to": "99999-01-01"}, 400, "to"),
        ({"q": "budget", "from": "1899-12-31"}, 400, "from"),
        ({"q": "budget", "from": "2030-01-01", "to": "2020-01-01"}, 400, "to"),
        ({"q": "budget", "page": "x"}, 400, "page"),
        ({"q": "budget", "page": "2"}, 200, ""),  # no kind: one page of every kind
        ({"q": "budget", "kind": "workshop", "page": "x"}, 400, "page"),
        ({"q": "budget", "kind": "workshop", "page": "0"}, 400, "page"),
        ({"q": "budget", "kind": "workshop", "page": "-1"}, 400, "page"),
        ({"q": "budget", "kind": "workshop", "page": "99999999999999999999"}, 404, ""),
        ({"q": "budget", "kind": "event", "page": "2"}, 404, ""),
    ],
)
def test_bad_input_gets_a_reason_never_an_error(api, something_to_find, params, status, field):
    response = api.get("/api/v1/search/", params)
    assert response.status_code == status, response.content
    body = response.json()
    if status == 400:
        assert list(body) == [field]
        assert all(isinstance(reason, str) and reason for reason in body[field])
    elif status == 404:
        assert body["detail"]


def test_a_long_query_is_cut_and_says_so(api, something_to_find):
    body = api.get("/api/v1/search/", {"q": "budget " * 143}).json()
    assert body["truncated"] is True and len(body["query"]) <= 200
    assert body["total"] == 1


def test_the_reason_is_in_the_language_asked_for(api, something_to_find):
    response = api.get("/api/v1/search/", {"q": "b"}, HTTP_ACCEPT_LANGUAGE="pt")
    english = api.get("/api/v1/search/", {"q": "b"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == english.status_code == 400
    assert english.json() == {"q": ["Type at least two letters."]}


def _seed_search(n):
    for _ in range(n):
        forum = ForumFactory()
        workshop = WorkshopFactory(title="Budget workshop", process__forum=forum)
        ContributionFactory(workshop=workshop, title="Budget idea")
        EventFactory(title="Budget event", forum=forum)
        CommitmentFactory(title="Budget registry", status="included", plan__forum=forum)


@pytest.mark.parametrize("params", [{}, {"kind": "workshop"}])
def test_a_search_costs_the_same_queries_for_1_and_5_results_a_kind(
    api, indexed, params, django_assert_num_queries
):
    # A token: the member is read anew for each request, as a client's would be.
    key = Token.objects.create(user=UserFactory(roles=["secretariat"])).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with indexed():
        _seed_search(1)
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/v1/search/", {"q": "budget", **params}).status_code == 200
    with indexed():
        _seed_search(4)
    with django_assert_num_queries(len(one.captured_queries)):
        body = api.get("/api/v1/search/", {"q": "budget", **params}).json()
    assert body["total"] == 20


# --- ?search= on the lists ---------------------------------------------------------------


def _workshop(title, body):
    return WorkshopFactory(title=title, description=body)


def _contribution(title, body):
    return ContributionFactory(title=title, text=body)


def _plan(title, body):
    return ActionPlanFactory(title=title, vision=body)


def _commitment(title, body):
    return CommitmentFactory(title=title, summary=body, status="included")


def _milestone(title, body):
    return MilestoneFactory(activity=title, deliverable=body, commitment__status="included")


def _event(title, body):
    return EventFactory(title=title, description=body)


def _organisation(title, body):
    return OrganisationFactory(name=title, description=body)


LISTS = {
    "workshops": _workshop,
    "contributions": _contribution,
    "action-plans": _plan,
    "commitments": _commitment,
    "milestones": _milestone,
    "events": _event,
    "organisations": _organisation,
}


@pytest.mark.parametrize("endpoint", LISTS)
def test_search_on_a_list_keeps_the_rows_found_most_relevant_first(api, indexed, endpoint):
    make = LISTS[endpoint]
    with indexed():
        in_text = make("Quokka registry", "Zebrafinch counts, published")
        in_title = make("Zebrafinch register", "Open data")
        make("Unrelated entry", "Nothing of the kind")
    url = f"/api/v1/{endpoint}/"

    assert listed(api.get(url, {"search": "zebrafinch"})) == [in_title.pk, in_text.pk]
    assert listed(api.get(url, {"search": "zebrafinch", "ordering": "id"})) == [
        in_text.pk,
        in_title.pk,
    ]
    assert listed(api.get(url, {"search": "quokka"})) == [in_text.pk]
    assert listed(api.get(url, {"search": "nowhere"})) == []
    assert len(listed(api.get(url, {"search": ""}))) == len(listed(api.get(url))) >= 3
    assert api.get(url, {"search": "zebrafinch", "page_size": 1}).json()["count"] == 2


def test_the_other_forms_of_a_word_are_found_on_a_list(api, indexed):
    with indexed():
        shown = WorkshopFactory(title="Contratações públicas abertas", language="pt")
        WorkshopFactory(title="Open budgets", language="en")
    assert listed(api.get("/api/v1/workshops/", {"search": "CONTRATAÇÃO"})) == [shown.pk]


def test_search_on_a_list_never_shows_what_the_list_does_not(api, people):
    secretariat = people["secretariat"]
    api.force_authenticate(secretariat)
    # The secretariat finds the draft workshop in the search, but the list never shows
    # drafts, nor hidden contributions, nor submitted events, nor draft commitments.
    assert titles(api.get("/api/v1/search/", {"q": "draftshopwort"})) == ["Draftshopwort session"]
    for endpoint, word in [
        ("workshops", "draftshopwort"),
        ("contributions", "hiddenwort"),
        ("contributions", "waitingwort"),
        ("events", "pendingeventwort"),
        ("commitments", "draftcommitwort"),
        ("milestones", "draftmilestonewort"),
    ]:
        assert listed(api.get(f"/api/v1/{endpoint}/", {"search": word})) == [], endpoint
    assert len(listed(api.get("/api/v1/contributions/", {"search": "publicwort"}))) == 1
    # A proposed organisation: its member finds it in the list, an anonymous visitor not.
    api.force_authenticate(people["member"])
    assert len(listed(api.get("/api/v1/organisations/", {"search": "proposedwort"}))) == 1
    api.force_authenticate(None)
    assert listed(api.get("/api/v1/organisations/", {"search": "proposedwort"})) == []


def test_search_on_a_list_of_no_searchable_kind_is_not_offered(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    names = {
        path: {p["name"] for p in operations["get"].get("parameters", [])}
        for path, operations in schema["paths"].items()
        if "get" in operations
    }
    for endpoint in LISTS:
        assert "search" in names[f"/api/v1/{endpoint}/"], endpoint
        assert "search" not in names[f"/api/v1/{endpoint}/{{id}}/"], endpoint
    assert "search" not in names["/api/v1/sectors/"]
    assert "search" not in names["/api/v1/processes/"]


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize(
    ("search", "status"),
    [
        ("\x00", 200),  # nothing left: ignored, as an empty value
        ("a", 400),
        ("?!.,;:-()[]{}", 400),
        ("zebrafinch\x00data", 200),
        ("a & | !b:*", 200),
        ("zebrafinch " * 100, 200),
        ("zebrafinch' OR 1=1; --", 200),
        ('"unclosed quote', 200),
        ("-zebrafinch", 200),
        ("zebrafinch <->", 200),
    ],
)
def test_hostile_search_on_a_list_gets_a_list_or_a_reason(api, indexed, endpoint, search, status):
    with indexed():
        LISTS[endpoint]("Zebrafinch register", "Open data")
    response = api.get(f"/api/v1/{endpoint}/", {"search": search})
    assert response.status_code == status, response.content
    if status == 400:
        assert list(response.json()) == ["search"]
        assert response.json()["search"][0]


@pytest.mark.parametrize("endpoint", LISTS)
def test_search_on_a_list_costs_the_same_queries_for_1_and_4_rows(
    api, indexed, endpoint, django_assert_num_queries
):
    url = f"/api/v1/{endpoint}/"
    with indexed():
        LISTS[endpoint]("Zebrafinch register", "Open data")
    with CaptureQueriesContext(connection) as one:
        assert len(listed(api.get(url, {"search": "zebrafinch"}))) == 1
    with indexed():
        for _ in range(3):
            LISTS[endpoint]("Zebrafinch register", "Open data")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(listed(api.get(url, {"search": "zebrafinch"}))) == 4


def test_the_api_throttles_apply_to_the_search(api, settings, something_to_find):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    statuses = [api.get("/api/v1/search/", {"q": "budget"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/workshops/", {"search": "budget"}).status_code == 429


def test_search_on_a_list_looks_at_no_more_than_the_most_recent_matches(api, indexed, monkeypatch):
    """As the search page: a common word on a large list ranks its CAP most recent matches,
    not every row (1.3 s at the benchmark's 10x size before)."""
    monkeypatch.setattr(selectors, "CAP", 2)
    with indexed():
        made = [_contribution("Zebrafinch register", "Open data") for _ in range(3)]
    found = listed(api.get("/api/v1/contributions/", {"search": "zebrafinch"}))
    assert sorted(found) == sorted(row.pk for row in made[1:])  # the two most recent
