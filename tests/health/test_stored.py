"""Forum health computed once, shown many times (issue 27): the public report is stored by
the worker, follows the records it rests on after the worker runs, says when it was
computed and how old it is, and costs the same whatever the forum holds."""

import json
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from health import stored, tasks, views
from health.models import StoredReport
from tests.factories import (
    CoCreationProcessFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
)
from tests.factories.health import ContributionFactory, ReasonedResponseFactory

pytestmark = pytest.mark.django_db


def _page(client, **kwargs) -> str:
    return client.get(reverse("health:forum_health", args=[default_forum().slug]), **kwargs)


@pytest.fixture
def unanswered():
    """A workshop held 40 days ago whose one contribution never got a reasoned response."""
    process = CoCreationProcessFactory()
    workshop = WorkshopFactory(
        process=process, status="held", starts_at=timezone.now() - timedelta(40)
    )
    return ContributionFactory(workshop=workshop, title="Open the procurement register")


@pytest.fixture
def broker(monkeypatch):
    """A broker that keeps what is queued until the test runs the worker."""
    queued = []
    monkeypatch.setattr(stored, "_eager", lambda: False)
    monkeypatch.setattr(
        stored, "task_enqueue", lambda name, *args, **kwargs: queued.append(args) or True
    )
    return queued


def _worker(queued):
    while queued:
        tasks.recompute_forum(*queued.pop(0))


@pytest.mark.django_db(transaction=True)
def test_the_stored_report_follows_an_answer_and_a_meeting_once_the_worker_ran(client, broker):
    process = CoCreationProcessFactory()
    workshop = WorkshopFactory(
        process=process, status="held", starts_at=timezone.now() - timedelta(40)
    )
    unanswered = ContributionFactory(workshop=workshop, title="Open the procurement register")
    _worker(broker)
    page = _page(client).content.decode()
    assert "Open the procurement register: no reasoned response" in page
    assert "No forum meeting is recorded." in page

    with transaction.atomic():  # the facilitator answers; the secretariat records a meeting
        ReasonedResponseFactory(
            contribution=unanswered, responded_at=workshop.ends_at + timedelta(days=5)
        )
        WorkshopFactory(
            process=process,
            kind="forum_meeting",
            status="held",
            starts_at=timezone.now() - timedelta(days=2),
        )
    assert broker == [(default_forum().pk,)]  # one recompute queued for the two changes
    page = _page(client).content.decode()
    assert "Open the procurement register: no reasoned response" in page  # still as stored

    _worker(broker)
    page = _page(client).content.decode()
    assert "Open the procurement register: no reasoned response" not in page
    assert "1 published: 1 answered in time" in page
    assert "No forum meeting is recorded." not in page
    assert "1 meeting, none more than 182 days apart." in page
    data = client.get(reverse("health:health_json")).json()
    responses = next(c for c in data["checks"] if c["key"] == "reasoned_responses")
    assert responses["state"] == "met"


@pytest.mark.django_db(transaction=True)
def test_changes_queue_one_recompute_until_the_worker_starts_it(broker):
    workshop = WorkshopFactory(status="held", starts_at=timezone.now() - timedelta(40))
    with transaction.atomic():
        for _ in range(3):
            RegistrationFactory(workshop=workshop)
    ContributionFactory(workshop=workshop)  # while the first still waits for the worker
    assert broker == [(default_forum().pk,)]

    _worker(broker)  # the worker started it: the next change queues another
    ContributionFactory(workshop=workshop)
    assert broker == [(default_forum().pk,)]


@pytest.mark.django_db(transaction=True)
def test_with_eager_tasks_the_recompute_runs_after_the_commit(client):
    workshop = WorkshopFactory(status="held", starts_at=timezone.now() - timedelta(40))
    contribution = ContributionFactory(workshop=workshop, title="Open the lobby register")
    assert "Open the lobby register: no reasoned response" in _page(client).content.decode()

    ReasonedResponseFactory(contribution=contribution)  # no broker: computed at the commit

    assert "Open the lobby register: no reasoned" not in _page(client).content.decode()


def test_the_first_view_computes_the_report_once_and_later_views_read_it(client, unanswered):
    assert not StoredReport.objects.exists()

    _page(client)
    first = StoredReport.objects.get()
    _page(client)
    client.get(reverse("health:health_json"))

    assert StoredReport.objects.get().computed_at == first.computed_at
    assert (first.scope, first.language) == ("forum", "en")


def test_the_page_says_when_the_report_was_computed_in_the_visitors_zone(
    client, unanswered, settings
):
    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+05:30: a visible half hour
    _page(client)
    computed = StoredReport.objects.get().computed_at
    with timezone.override("Asia/Kolkata"):
        expected = formats.time_format(timezone.localtime(computed), "TIME_FORMAT")

    page = _page(client).content.decode()

    assert f"As of {expected} IST" in page  # the zone is named
    assert "This report was computed" not in page


def test_a_stale_report_says_how_old_it_is_and_is_computed_again(client, unanswered, monkeypatch):
    queued = []
    monkeypatch.setattr(stored, "forum_recompute", queued.append)
    _page(client)
    StoredReport.objects.update(computed_at=timezone.now() - timedelta(days=3, minutes=5))

    page = _page(client).content.decode()

    assert "This report was computed 3\xa0days ago" in page
    assert "what changed since is not in it yet" in page
    assert queued == [default_forum().pk]  # the schedule missed it: computed again


def test_the_json_is_served_as_stored_with_its_time(client, unanswered):
    response = client.get(reverse("health:health_json"))

    data = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["generated_at"] == StoredReport.objects.get().computed_at.isoformat()
    assert {c["key"] for c in data["checks"]} >= {"reasoned_responses", "forum_meetings"}
    assert data["participation"]["total"]["contributions"] == 1


def _forum_with(n: int):
    process = CoCreationProcessFactory()
    for i in range(n):
        workshop = WorkshopFactory(
            process=process,
            status="held",
            starts_at=timezone.now() - timedelta(days=40 + i),
            title=f"Open budget workshop {i:03d}",
        )
        ContributionFactory(workshop=workshop, title=f"Publish the budget monthly {i:03d}")
        RegistrationFactory(workshop=workshop, member=UserFactory(), stakeholder_group="gov")


def _measure(client, path):
    client.get(path)  # the first view stores the report
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return len(queries.captured_queries), len(response.content)


CHECK = ("health:forum_check", "reasoned_responses")
CHECK_JSON = ("health:forum_check_json", "reasoned_responses")


@pytest.mark.parametrize(
    "path",
    ["health:health", "health:health_json", "health:participation", CHECK, CHECK_JSON],
)
def test_the_pages_cost_the_same_queries_for_few_and_many_records(
    client, path, settings, monkeypatch
):
    settings.KEPT_PAGES = False
    monkeypatch.setattr(views, "EVIDENCE_PAGE_SIZE", 3)
    monkeypatch.setattr(views, "WORKSHOPS_PAGE_SIZE", 3)
    monkeypatch.setattr(views, "CHECK_JSON_PAGE_SIZE", 3)
    name, *key = (path,) if isinstance(path, str) else path
    url = reverse(name, args=[default_forum().slug, *key]) if key else reverse(name)
    _forum_with(4)
    few, few_size = _measure(client, url)
    StoredReport.objects.all().delete()
    _forum_with(12)
    many, many_size = _measure(client, url)

    assert few == many
    if key:  # (the others' sizes: the tests below; the factories' sectors grow them here)
        assert many_size < few_size + 600  # a page of the same few items


def test_the_health_page_does_not_grow_with_the_records(client, settings):
    settings.KEPT_PAGES = False
    _forum_with(6)
    _queries, few = _measure(client, reverse("health:health"))
    StoredReport.objects.all().delete()
    _forum_with(24)
    _queries, many = _measure(client, reverse("health:health"))

    assert many < few + 400  # its figures have more digits; no more items are listed


def _json_size(client) -> int:
    """The report's JSON, without its figures by sector (the factories give each member a
    sector of their own: a forum has a handful)."""
    data = client.get(reverse("health:health_json")).json()
    del data["participation"]["by_sector"]
    return len(json.dumps(data))


def test_the_json_does_not_grow_with_the_records_and_links_to_every_item(
    client, settings, monkeypatch
):
    settings.KEPT_PAGES = False
    monkeypatch.setattr(stored, "WARNINGS_KEPT", 3)
    monkeypatch.setattr(stored, "EVIDENCE_SHOWN", 3)
    _forum_with(6)
    few = _json_size(client)
    StoredReport.objects.all().delete()
    _forum_with(24)
    many = _json_size(client)
    data = client.get(reverse("health:health_json")).json()

    assert many < few + 400  # longer figures; no more items listed
    responses = next(c for c in data["checks"] if c["key"] == "reasoned_responses")
    assert len(responses["warnings"]) == 3 and responses["warnings_count"] == 30
    assert len(responses["evidence"]) == 3 and responses["more_evidence"] == 27
    participation = data["participation"]
    assert "workshops" not in participation and participation["workshops_count"] == 30
    rows = client.get(participation["workshops_csv"]).getvalue().decode()
    assert "Open budget workshop 023" in rows and "Open budget workshop 005" in rows

    monkeypatch.setattr(views, "CHECK_JSON_PAGE_SIZE", 20)
    every = client.get(responses["every_item"])
    assert every["Access-Control-Allow-Origin"] == "*"
    first = every.json()
    assert first["key"] == "reasoned_responses" and first["state"] == responses["state"]
    assert (first["evidence"]["count"], first["evidence"]["pages"]) == (30, 2)
    assert len(first["evidence"]["items"]) == 20 and first["evidence"]["previous"] is None
    second = client.get(first["evidence"]["next"]).json()
    assert len(second["evidence"]["items"]) == 10 and second["evidence"]["next"] is None
    texts = {(i["text"], i["url"]) for page in (first, second) for i in page["evidence"]["items"]}
    assert len(texts) == 30  # every item, once
    dues = [w["due"] for w in first["warnings"]["items"]]
    assert dues == sorted(dues) and first["warnings"]["count"] == 30  # soonest due first


def test_a_checks_json_answers_hostile_input_with_a_4xx(client, unanswered):
    url = reverse("health:forum_check_json", args=[default_forum().slug, "reasoned_responses"])
    assert client.get(url, {"page": "\x00"}).status_code == 200  # the first page
    assert client.get(url, {"due": "99999999999999999999"}).status_code == 200  # the last
    assert client.get(url.replace("reasoned_responses", "nonsense")).status_code == 404
    other = reverse("health:forum_plan_check_json", args=[default_forum().slug, "nope", "x"])
    assert client.get(other).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_body_of_a_stored_report_is_rendered_once_for_each_version(
    client, unanswered, settings, broker
):
    settings.KEPT_PAGES = False
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        first = _page(client).content.decode()
        second = _page(client).content.decode()
        assert rendered.count("health/includes/report_body.html") == 1
        assert "Open the procurement register: no reasoned response" in second  # kept
        ReasonedResponseFactory(contribution=unanswered)  # the worker stores a new version
        _worker(broker)
        third = _page(client).content.decode()
    finally:
        template_rendered.disconnect(note)

    assert rendered.count("health/includes/report_body.html") == 2
    assert "Open the procurement register: no reasoned response" in first
    assert "Open the procurement register: no reasoned response" not in third


def test_a_checks_full_list_is_paginated(client, monkeypatch):
    monkeypatch.setattr(views, "EVIDENCE_PAGE_SIZE", 4)
    _forum_with(6)
    page = _page(client).content.decode()
    url = reverse("health:forum_check", args=[default_forum().slug, "reasoned_responses"])
    assert f'href="{url}"' in page
    assert "All 6 records" in page

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert first.count('class="evidence--problem"') == 4
    assert second.count('class="evidence--problem"') == 2
    assert first.count("still has no reasoned response") == 4  # what needs attention, too
    assert client.get(url, {"due": 2}).content.decode().count("still has no reasoned") == 2
    assert client.get(url.replace("reasoned_responses", "nonsense")).status_code == 404


def test_the_participation_page_lists_the_workshops_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(views, "WORKSHOPS_PAGE_SIZE", 2)
    _forum_with(3)
    url = reverse("health:participation")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert "Open budget workshop 000" in first  # the latest first
    assert "Open budget workshop 002" not in first
    assert "Open budget workshop 002" in second
    assert "3 workshops, the latest first." in first


def test_the_secretariat_reads_its_report_computed_with_the_drafts(client, unanswered):
    from members.roles import SECRETARIAT  # noqa: PLC0415

    client.force_login(UserFactory(roles=[SECRETARIAT]))
    WorkshopFactory(
        process=unanswered.workshop.process,
        status="draft",
        starts_at=timezone.now() + timedelta(days=10),
        title="Draft workshop on lobbying",
    )

    page = _page(client).content.decode()

    assert "Draft workshop on lobbying" in page
    assert not StoredReport.objects.exists()  # nothing of it is stored for the public


def test_anonymous_visitors_are_served_the_kept_page(client, unanswered, settings):
    settings.KEPT_PAGES = True
    _page(client)  # stores the report (a write: that answer is not kept)
    _page(client)  # kept
    with CaptureQueriesContext(connection) as queries:
        response = _page(client)
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "standards_storedreport" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_busy_forum_keeps_its_public_pages_until_the_worker_stores_a_new_report(
    client, broker, settings
):
    """Writes that change no stored report (a registration, an answer the worker has not
    yet counted) leave the anonymous visitor's kept pages kept; the new report shows at
    once, and so does a renamed forum."""
    settings.KEPT_PAGES = True
    workshop = WorkshopFactory(status="held", starts_at=timezone.now() - timedelta(40))
    unanswered = ContributionFactory(workshop=workshop, title="Open the procurement register")
    member = UserFactory()
    _worker(broker)
    json_url = reverse("health:forum_health_json", args=[default_forum().slug])
    participation_url = reverse("health:forum_participation", args=[default_forum().slug])
    pages = [reverse("health:forum_health", args=[default_forum().slug]), json_url]
    pages.append(participation_url)
    scoped = f"{participation_url}?scope=process:{workshop.process.slug}"
    for url in [*pages, scoped]:
        client.get(url)  # computed, and kept

    RegistrationFactory(workshop=workshop, member=member)  # two writes in the forum
    ReasonedResponseFactory(contribution=unanswered)
    with CaptureQueriesContext(connection) as queries:
        answers = [client.get(url) for url in pages]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert not queries.captured_queries  # all three kept, no query at all
    assert "Open the procurement register: no reasoned response" in answers[0].content.decode()
    # a process's participation is computed from the records: it follows every write
    with CaptureQueriesContext(connection) as queries:
        assert client.get(scoped).status_code == 200
    assert queries.captured_queries

    _worker(broker)  # the new report
    page = _page(client).content.decode()
    assert "Open the procurement register: no reasoned response" not in page
    assert client.get(json_url).json()["generated_at"] != answers[1].json()["generated_at"]

    forum = default_forum()
    forum.name = "Open Government Forum of Attica"
    forum.save(update_fields=["name"])
    assert "Open Government Forum of Attica" in _page(client).content.decode()
