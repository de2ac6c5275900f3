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
