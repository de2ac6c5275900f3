"""What a forum's addresses and filters do with input no person types: a NUL byte, an
overlong or malformed short name. Always a 4xx (or the unfiltered page), never a 500; on
PostgreSQL a NUL byte that reached a query would be one."""

import pytest

from members.roles import SECRETARIAT
from tests.factories import ActionPlanFactory, ForumFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL = "%00"
LONG = "a" * 3000

ADDRESSES = [
    f"/forums/{NUL}/",
    f"/forums/{LONG}/",
    f"/forums/city/health/plans/{NUL}/",
    f"/forums/city/health/plans/{LONG}/report.json",
    f"/forums/city/health/participation/?scope=plan:{NUL}",
    f"/forums/city/health/participation/?scope=process:{NUL}",
    f"/forums/city/health/participation.csv?scope=process:{LONG}",
    f"/forum-health/participation/?scope=plan:{NUL}",
    f"/forum-health/plans/{NUL}/",
    f"/workshops/?forum={NUL}",
    f"/workshops/?forum={LONG}",
    f"/action-plans/?forum={NUL}",
    f"/events/?forum={NUL}",
    f"/api/v1/workshops/?forum={NUL}",
    f"/api/v1/action-plans/?forum={NUL}",
    f"/api/v1/events/?forum={LONG}",
    f"/open-data/workshops.csv?forum={NUL}",
    f"/open-data/events.json?forum={NUL}",
    f"/manage/{NUL}/",
    f"/manage/city/workshops/?q={NUL}&status={NUL}",
    f"/manage/city/workshops/?page={LONG}",
    f"/manage/city/plans/?q={NUL}",
    f"/manage/city/plans/{NUL}/",
    f"/manage/city/events/?q={NUL}",
    f"/manage/city/events/organisers/?q={NUL}",
    f"/manage/city/events/review/?page={NUL}",
    f"/manage/city/organisations/?q={NUL}",
    f"/manage/city/body/?show={NUL}",
    f"/manage/city/workshops/new/?process={NUL}",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_hostile_forum_input_is_never_a_server_error(client, address):
    city = ForumFactory(slug="city")
    ActionPlanFactory(forum=city)
    client.force_login(UserFactory(roles=[SECRETARIAT], roles__forum=city))

    assert client.get(address).status_code < 500


def test_a_forum_created_with_a_nul_byte_is_a_form_error(admin_client):
    response = admin_client.post(
        "/forums/new/",
        {"name": "Pan\x00čevo", "slug": "pan\x00cevo", "kind": "local", "country": "RS"},
    )
    assert response.status_code == 400
