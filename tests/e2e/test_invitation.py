"""The secretariat of a forum invites a person from its back office; she receives one
e-mail in Greek with a link, chooses a password and lands logged in, approved, in her
organisation's stakeholder group, with no approval step; the link then no longer opens."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from members.models import MembershipStatus, User
from tests.factories import (
    DEFAULT_PASSWORD,
    ForumFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    role_give,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invited_person_accepts_in_greek_and_arrives_approved(browser, live_server):
    forum = ForumFactory(name="WeOpenGov", slug="weopengov", country="GR")
    sector = SectorFactory(
        slug="civil-society-e2e", name="Civil society", stakeholder_group="non_government"
    )
    OrganisationFactory(name="Vouliwatch", sector=sector, country="GR")
    secretariat = UserFactory(full_name="Eleni Secretariat")
    role_give(secretariat, "secretariat", forum)

    staff = browser.new_context().new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("Email").fill(secretariat.email)
    staff.get_by_label("Password").fill(DEFAULT_PASSWORD)
    staff.get_by_role("button", name="Sign In").click()
    staff.goto(f"{live_server.url}/manage/weopengov/")
    staff.get_by_role("navigation", name="Back office").get_by_role(
        "link", name="Invitations"
    ).click()
    staff.locator("#invite_name").fill("Maria Papadopoulou")
    staff.locator("#invite_email").fill("maria@example.gr")
    staff.locator("#invite_organisation").select_option(label="Vouliwatch")
    staff.locator("#invite_language").select_option("el")
    staff.get_by_role("button", name="Send the invitation").click()
    expect(staff.get_by_text("Maria Papadopoulou is invited")).to_be_visible()
    expect(staff.get_by_role("cell", name="Vouliwatch")).to_be_visible()

    (message,) = [m for m in mail.outbox if m.to == ["maria@example.gr"]]
    link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    path = urlsplit(link).path

    with translation.override("el"):
        accept = translation.gettext("Accept the invitation")
    invited = browser.new_context().new_page()
    invited.goto(live_server.url + path)
    expect(invited.locator("html")).to_have_attribute("lang", "el")
    expect(invited.get_by_text("Vouliwatch").first).to_be_visible()
    invited.locator("#id_password1").fill("kalimera-Athina-2026")
    invited.locator("#id_password2").fill("kalimera-Athina-2026")
    invited.locator("#id_privacy_consent").check()
    invited.get_by_role("button", name=accept).click()
    invited.wait_for_url(re.compile(r"/members/my-forum/$"))

    member = User.objects.get(email="maria@example.gr")
    assert member.membership_status == MembershipStatus.APPROVED
    assert member.organisation.sector.stakeholder_group == "non_government"
    assert member.preferred_language == "el"
    # Logged in as her, no approval waiting: the page of her forum, not the queue's notice.
    expect(invited.locator("html")).to_have_attribute("lang", "el")

    again = browser.new_context().new_page()
    response = again.goto(live_server.url + path)
    assert response.status == 410

    staff.reload()
    expect(staff.get_by_role("cell").filter(has_text="Accepted")).to_be_visible()
