"""Anonymous clients and members are throttled at the rates of the settings (429)."""

import pytest
from rest_framework.test import APIClient

from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }


def test_visitors_are_throttled_by_address(low_rates, api):
    statuses = [api.get("/api/v1/sectors/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/v1/sectors/")
    assert int(refused["Retry-After"]) > 0
    other_address = api.get("/api/v1/sectors/", REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_members_have_their_own_higher_allowance(low_rates, api):
    for _ in range(3):
        api.get("/api/v1/sectors/")
    member = APIClient()
    member.force_authenticate(member_of("government"))

    statuses = [member.get("/api/v1/sectors/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
    assert api.get("/api/v1/sectors/").status_code == 429


def test_a_forged_forwarded_address_does_not_escape_the_visitors_limit(low_rates, api):
    statuses = [
        api.get("/api/v1/sectors/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(low_rates, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(3):
        api.get("/api/v1/sectors/", HTTP_X_FORWARDED_FOR="198.51.100.1")

    crowded = api.get("/api/v1/sectors/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = api.get("/api/v1/sectors/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2")

    assert (crowded.status_code, other.status_code) == (429, 200)
