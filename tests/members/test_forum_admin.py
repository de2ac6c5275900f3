"""The Django admin is the site administrator's alone: a forum's secretariat has no way in,
and the site administrator sees every forum's records."""

import pytest

from members.roles import SECRETARIAT
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
)

pytestmark = pytest.mark.django_db


def test_a_forums_secretariat_with_staff_status_is_sent_to_the_log_in(client):
    city = ForumFactory()
    theirs = WorkshopFactory(process=CoCreationProcessFactory(forum=city))
    client.force_login(UserFactory(is_staff=True, roles=[SECRETARIAT], roles__forum=city))

    for path in ("/admin/", f"/admin/cocreation/workshop/{theirs.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_site_administrator_sees_every_forum(admin_client):
    city = ForumFactory()
    workshop = WorkshopFactory(process=CoCreationProcessFactory(forum=city))
    national = WorkshopFactory()
    role_give(UserFactory(), SECRETARIAT, city)

    listing = admin_client.get("/admin/cocreation/workshop/").content.decode()
    assert workshop.title in listing and national.title in listing
    assert city.name in admin_client.get("/admin/members/forum/").content.decode()
