"""Until the back office replaces it, the administration shows a forum's secretariat only its
own forums' records."""

import pytest

from members.roles import SECRETARIAT
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
)
from tests.factories.events import CampaignFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_secretariat(client):
    city = ForumFactory()
    member = UserFactory(is_staff=True, roles=[SECRETARIAT], roles__forum=city)
    client.force_login(member)
    return city


def test_a_secretariat_sees_and_opens_only_its_own_forums_records(client, city_secretariat):
    theirs = WorkshopFactory(process=CoCreationProcessFactory(forum=city_secretariat))
    national = WorkshopFactory()  # the default forum's
    national_event = EventFactory()
    city_event = EventFactory(campaign=CampaignFactory(forum=city_secretariat))

    listing = client.get("/admin/cocreation/workshop/").content.decode()
    assert theirs.title in listing and national.title not in listing
    assert client.get(f"/admin/cocreation/workshop/{national.pk}/change/").status_code == 302
    assert client.get(f"/admin/events/event/{national_event.pk}/change/").status_code == 302
    assert client.get(f"/admin/events/event/{city_event.pk}/change/").status_code == 200
    form = client.get(f"/admin/cocreation/workshop/{theirs.pk}/change/").content.decode()
    assert theirs.process.title in form and national.process.title not in form


def test_the_site_administrator_sees_every_forum(admin_client):
    city = ForumFactory()
    workshop = WorkshopFactory(process=CoCreationProcessFactory(forum=city))
    role_give(UserFactory(), SECRETARIAT, city)

    assert workshop.title in admin_client.get("/admin/cocreation/workshop/").content.decode()
    assert city.name in admin_client.get("/admin/members/forum/").content.decode()
