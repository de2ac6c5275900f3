"""On a phone a field brings up the right keyboard and offers the right autofill: a number
pad for seat counts, the person's own name where they give it, and nothing of theirs where
they type someone else's address."""

import re

import pytest

from tests.factories import UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_the_seat_counts_bring_up_a_number_pad_and_a_colleagues_address_no_autofill(client):
    secretariat = UserFactory(roles=["secretariat"])
    workshop = WorkshopFactory()
    client.force_login(secretariat)
    page = client.get(f"/manage/{workshop.process.forum.slug}/workshops/{workshop.pk}/")
    html = page.content.decode()
    assert 'inputmode="numeric"' in _input(html, "capacity")
    assert 'autocomplete="off"' in _input(html, "email")  # the facilitator to add


def test_sign_up_and_profile_offer_the_persons_own_name(client):
    assert 'autocomplete="name"' in _input(
        client.get("/accounts/signup/").content.decode(), "full_name"
    )
    client.force_login(UserFactory())
    profile = client.get("/members/profile/").content.decode()
    assert 'autocomplete="name"' in _input(profile, "full_name")
