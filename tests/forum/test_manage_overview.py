"""The back office's front door: /manage/ and a forum's overview, for its secretariat and
its facilitators; nobody else."""

import pytest
from django.urls import reverse

from members.roles import FACILITATOR, SECRETARIAT
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
)

pytestmark = pytest.mark.django_db


def test_the_overview_shows_what_waits_and_the_next_workshops_fill_by_group(client):
    city = ForumFactory()
    secretariat = UserFactory(roles=[SECRETARIAT], roles__forum=city)
    workshop = WorkshopFactory(process=CoCreationProcessFactory(forum=city), title="Budget walk")
    RegistrationFactory(workshop=workshop, group="government")
    WorkshopFactory(title="A national workshop")
    client.force_login(secretariat)

    page = client.get(reverse("manage:index", args=[city.slug])).content.decode()

    assert "Waiting for you" in page and "Budget walk" in page
    assert "1 / 2" in page  # one government seat of two taken
    assert "A national workshop" not in page


def test_a_facilitator_sees_the_workshops_they_facilitate_only(client):
    city = ForumFactory()
    facilitator = UserFactory()
    role_give(facilitator, FACILITATOR, city)
    workshop = WorkshopFactory(process=CoCreationProcessFactory(forum=city), title="Budget walk")
    workshop.facilitators.add(facilitator)
    client.force_login(facilitator)

    page = client.get(reverse("manage:index", args=[city.slug])).content.decode()

    assert "Budget walk" in page and reverse("cocreation:check_in", args=[workshop.pk]) in page
    assert "Waiting for you" not in page


def test_the_back_office_link_leads_to_the_one_forum_run_or_lets_one_choose(client):
    city, town = ForumFactory(), ForumFactory()
    member = UserFactory(roles=[SECRETARIAT], roles__forum=city)
    client.force_login(member)
    assert reverse("manage_chooser") in client.get("/").content.decode()
    assert client.get(reverse("manage_chooser"))["Location"] == reverse(
        "manage:index", args=[city.slug]
    )

    role_give(member, FACILITATOR, town)
    page = client.get(reverse("manage_chooser")).content.decode()
    assert city.name in page and town.name in page


def test_a_plain_member_gets_403_and_an_anonymous_visitor_the_log_in(client):
    assert client.get(reverse("manage_chooser"))["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(reverse("manage_chooser")).status_code == 403
    assert reverse("manage_chooser") not in client.get("/").content.decode()
