"""The results page: grouped by kind with counts, highlights that no text can turn into
HTML, filters, pagination, and a fixed number of queries however many results."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.search import selectors
from core.search.models import SearchEntry
from core.search.selectors import PAGE_SIZE, PER_KIND
from tests.factories import ForumFactory, UserFactory, WorkshopFactory
from tests.factories.actionplans import ActionPlanFactory
from tests.factories.events import EventFactory
from tests.factories.health import ContributionFactory
from tests.search.conftest import found

pytestmark = pytest.mark.django_db


def _contributions(n: int, word: str = "procurement", **fields):
    workshop = WorkshopFactory(title="Open contracting")
    for i in range(n):
        ContributionFactory(
            workshop=workshop, title=f"Idea {i} on {word}", text=f"More {word} data", **fields
        )


def test_results_are_grouped_by_kind_with_their_counts(client, indexed):
    with indexed():
        _contributions(PER_KIND + 2)
        EventFactory(title="Procurement debate", description="Open contracting in cities")
        WorkshopFactory(title="Public procurement workshop")
    response = client.get("/search/", {"q": "procurement"})
    groups = {g.kind: g for g in response.context["results"].groups}
    assert {kind: g.count for kind, g in groups.items()} == {
        "workshop": 1,
        "contribution": PER_KIND + 2,
        "event": 1,
    }
    assert len(groups["contribution"].hits) == PER_KIND
    page = response.content.decode()
    assert 'Contributions <span class="search-group__count">(7)</span>' in page
    assert "All 7 results in Contributions" in page  # the link to the rest
    assert page.index('id="kind-workshop"') < page.index('id="kind-contribution"')


def test_one_kind_is_paginated(client, indexed):
    with indexed():
        _contributions(PAGE_SIZE + 3)
    first = client.get("/search/", {"q": "procurement", "kind": "contribution"})
    second = client.get("/search/", {"q": "procurement", "kind": "contribution", "page": 2})
    titles = found(first) + found(second)
    assert len(found(first)) == PAGE_SIZE and len(found(second)) == 3
    assert len(set(titles)) == PAGE_SIZE + 3
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_a_search_costs_the_same_queries_at_any_size(
    client, indexed, django_assert_num_queries, size
):
    """Forums of the filter, counts per kind, the page's entries, their highlights and
    their forums' names; visibility is inside the query (subqueries), so it adds none."""
    with indexed():
        _contributions(size)
        for i in range(size):
            EventFactory(title=f"Procurement debate {i}")
    secretariat = UserFactory(roles=["secretariat"])
    client.force_login(secretariat)
    client.get("/search/", {"q": "procurement"})  # the session and the roles read once
    prepared = int(connection.vendor == "postgresql")
    with django_assert_num_queries(QUERIES_ALL_KINDS + prepared):
        response = client.get("/search/", {"q": "procurement"})
    assert response.context["results"].total == 2 * size
    with django_assert_num_queries(QUERIES_ONE_KIND + prepared):
        response = client.get("/search/", {"q": "procurement", "kind": "event"})
    assert len(found(response)) == min(size, PAGE_SIZE)


# The session, the user, the forums of the filter, the search's transaction (its start and
# end), the user's roles and co-chair seats (the visibility subqueries' inputs), the counts
# per kind with the page's entries (one query), their highlights and their forums' names;
# on PostgreSQL, the query read once (core.search.selectors._prepared).
QUERIES_ALL_KINDS = QUERIES_ONE_KIND = 10


def test_text_cannot_inject_html_into_a_highlight(client, indexed):
    with indexed():
        ContributionFactory(
            title="<script>alert(1)</script> procurement",
            text='Procurement <img src=x onerror="alert(2)"> and \ue000 marks \ue001 <mark>',
        )
    page = client.get("/search/", {"q": "procurement"}).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert "<mark>" in page  # the highlight itself
    assert "\ue000" not in page and "\ue001" not in page


def test_filters_by_forum_language_date_and_kind(client, indexed):
    city = ForumFactory(name="Pančevo forum", slug="pancevo")
    with indexed():
        national = WorkshopFactory(title="Budget workshop", language="en")
        local = WorkshopFactory(
            title="Budget workshop in the city",
            language="sr",
            process__forum=city,
            starts_at=timezone.now() + timedelta(days=400),
        )
        ActionPlanFactory(title="Budget plan", forum=city)
    by_number = found(client.get("/search/", {"q": "budget", "forum": str(city.pk)}))
    by_forum = found(client.get("/search/", {"q": "budget", "forum": "pancevo"}))
    assert set(by_forum) == set(by_number) == {"Budget workshop in the city", "Budget plan"}
    assert found(client.get("/search/", {"q": "budget", "language": "sr"})) == [local.title]
    later = (timezone.localdate() + timedelta(days=100)).isoformat()
    assert found(client.get("/search/", {"q": "budget", "kind": "workshop", "from": later})) == [
        local.title
    ]
    assert national.title in found(
        client.get("/search/", {"q": "budget", "kind": "workshop", "to": later})
    )


def test_no_results_suggests_removing_a_filter(client, indexed):
    with indexed():
        WorkshopFactory(title="Budget workshop")
    response = client.get("/search/", {"q": "budget", "kind": "event", "language": "pl"})
    page = response.content.decode()
    assert response.status_code == 200 and found(response) == []
    assert "Search every kind" in page and "Search every language" in page
    assert "Search every forum" not in page


def test_the_header_of_every_page_has_the_search_box(client):
    page = client.get("/workshops/").content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page
    assert '<label class="visually-hidden" for="site-search-q">' in page


def test_rebuild_indexes_what_signals_missed_and_drops_what_is_gone(indexed):
    WorkshopFactory(title="Budget workshop")  # no commit here: the signals' work never ran
    SearchEntry.objects.create(kind="workshop", object_id=999999, title="Gone", url="/")
    assert not SearchEntry.objects.filter(title="Budget workshop").exists()
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    assert "Indexed" in out.getvalue()
    assert SearchEntry.objects.filter(kind="workshop", title="Budget workshop").exists()
    assert not SearchEntry.objects.filter(object_id=999999).exists()


def test_other_forms_of_a_word_are_found_on_either_database(client, indexed):
    """On SQLite long words are matched by their first letters; on PostgreSQL by the
    language's stemmer."""
    with indexed():
        workshop = WorkshopFactory(title="Ανοικτά δεδομένα", language="el")
        ContributionFactory(workshop=workshop, title="Δημοσίευση των δεδομένων")
        WorkshopFactory(title="Contratações públicas abertas", language="pt")
    assert found(client.get("/search/", {"q": "δεδομένα", "kind": "contribution"})) == [
        "Δημοσίευση των δεδομένων"
    ]
    assert found(client.get("/search/", {"q": "CONTRATAÇÃO"})) == ["Contratações públicas abertas"]


def test_a_kind_with_nothing_found_points_to_the_others(client, indexed):
    with indexed():
        WorkshopFactory(title="Budget workshop")
    response = client.get("/search/", {"q": "budget", "kind": "event"})
    page = response.content.decode()
    assert found(response) == []
    assert "Nothing of this kind was found" in page
    assert "Workshops (1)" in page


def test_a_kind_with_more_than_the_cap_says_so(client, indexed, monkeypatch):
    """A kind is looked at no further than its CAP most recent matches: its count says
    "more than", and its page lists those, the closest first; kinds under it are exact."""
    monkeypatch.setattr(selectors, "CAP", 3)
    with indexed():
        _contributions(5)
        EventFactory(title="Procurement debate")
    response = client.get("/search/", {"q": "procurement"})
    groups = {g.kind: g for g in response.context["results"].groups}
    assert (groups["contribution"].count, groups["contribution"].more) == (3, True)
    assert (groups["event"].count, groups["event"].more) == (1, False)
    page = response.content.decode()
    assert "More than 4 results" in page
    assert "(more than 3)" in page
    chosen = client.get("/search/", {"q": "procurement", "kind": "contribution", "page": 9})
    assert chosen.status_code == 200
    assert len(found(chosen)) == 3  # the last page there is: the three most recent
    newest = SearchEntry.objects.filter(kind="contribution").order_by("-date", "-pk")[:3]
    assert set(found(chosen)) == {entry.title for entry in newest}


def test_the_api_says_when_a_kind_has_more_than_the_cap(client, indexed, monkeypatch):
    monkeypatch.setattr(selectors, "CAP", 3)
    with indexed():
        _contributions(5)
        EventFactory(title="Procurement debate")
    data = client.get("/api/v1/search/", {"q": "procurement"}).json()
    groups = {g["kind"]: g for g in data["groups"]}
    assert (groups["contribution"]["count"], groups["contribution"]["more"]) == (3, True)
    assert (groups["event"]["count"], groups["event"]["more"]) == (1, False)
    assert (data["total"], data["more"]) == (4, True)
