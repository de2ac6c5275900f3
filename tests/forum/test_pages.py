import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import StakeholderGroup
from tests.factories import OrganisationFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db

AREAS = ["forums:index", "members:index", "cocreation:index", "actionplans:index", "events:index"]


def test_home_page_has_heading_navigation_and_skip_link(client, settings):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{settings.SITE_NAME}</h1>" in html
    assert '<a class="skip-link" href="#content">Skip to content</a>' in html
    assert '<main id="content"' in html
    for area in AREAS:
        assert f'href="{reverse(area)}"' in html


@pytest.mark.parametrize("area", AREAS)
def test_every_area_page_marks_itself_current_in_the_navigation(client, area):
    response = client.get(reverse(area))

    assert response.status_code == 200
    assert f'<a href="{reverse(area)}" aria-current="page">' in response.content.decode()


def test_home_shows_the_forum_balance_by_stakeholder_group(client):
    government = SectorFactory(slug="gov-test", stakeholder_group=StakeholderGroup.GOVERNMENT)
    civil = SectorFactory(slug="cso-test", stakeholder_group=StakeholderGroup.NON_GOVERNMENT)
    UserFactory.create_batch(2, organisation=OrganisationFactory(sector=government, country="GR"))
    UserFactory(organisation=OrganisationFactory(sector=civil, country="PT"))

    html = client.get("/").content.decode()

    rows = dict(
        re.findall(r'<tr><th scope="row">([^<]+)</th><td>\d+</td><td>(\d+)</td></tr>', html)
    )
    assert rows == {"Government": "2", "Non-government": "1"}
    assert "2</strong> countries" in html


def test_home_costs_the_same_queries_for_few_and_many_organisations(
    client, django_assert_max_num_queries
):
    UserFactory()
    with django_assert_max_num_queries(10) as few:
        client.get("/")
    UserFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_home_counts_the_forum_once_a_minute_not_on_every_visit(client, django_assert_num_queries):
    UserFactory.create_batch(3)
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    UserFactory()  # counted when the minute has passed

    with CaptureQueriesContext(connection) as second:
        html = client.get("/").content.decode()

    def counts(queries):
        return [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]

    # The four counts on the first visit, none on the second (what is coming up in each
    # forum, kept on its own, depends on the forums the factories happened to make).
    assert len(counts(first)) == 4 and not counts(second)
    assert "3</strong> members" in html
    cache.clear()  # what the minute's end does
    assert "4</strong> members" in client.get("/").content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_language_switcher_changes_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "el", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert '<html lang="el"' in response.content.decode()


def test_log_in_state_shows_in_the_header(client):
    anonymous = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in anonymous

    user = UserFactory(full_name="Maria Silva")
    client.force_login(user)
    html = client.get("/").content.decode()

    assert "Logged in as Maria Silva" in html
    assert 'action="/accounts/logout/"' in html


def test_static_assets_are_shipped_not_linked_from_a_cdn(client):
    html = client.get("/").content.decode()

    for url in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
        assert url.startswith("/static/"), url
