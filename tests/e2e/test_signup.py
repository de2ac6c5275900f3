"""A new person signs up, verifies their address from the e-mail, is refused a seat while
pending, is approved by the secretariat, and sees "My forum"."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from members.models import MembershipStatus, Organisation, User
from members.services import membership_approve
from tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_verify_approval_and_my_forum(browser, live_server):
    OrganisationFactory(name="Open Budget Ukraine", country="UA")
    workshop = WorkshopFactory(title="Open data and access to information")
    secretariat = UserFactory(roles=["secretariat"], full_name="Eleni Papadopoulou")

    newcomer = browser.new_context().new_page()
    newcomer.goto(f"{live_server.url}/accounts/signup/")
    newcomer.get_by_label("Email").fill("olena@example.org")
    newcomer.locator("#id_password1").fill("a-long-test-password-42")
    newcomer.locator("#id_password2").fill("a-long-test-password-42")
    newcomer.get_by_label("Full name").fill("Olena Kovalenko")
    newcomer.get_by_label("Your organisation").select_option(label="Open Budget Ukraine")
    newcomer.get_by_label("Position").fill("Policy analyst")
    newcomer.get_by_label("Preferred language").select_option("uk")
    newcomer.get_by_label("I have read the privacy notice").check()
    newcomer.get_by_role("button", name="Sign Up").click()
    # From here on, allauth's pages and e-mail are in the language she chose.
    with translation.override("uk"):
        verify, confirm, email, password, sign_in = (
            translation.gettext(text)
            for text in ("Verify Your Email Address", "Confirm", "Email", "Password", "Sign In")
        )
    expect(newcomer.get_by_role("heading", name=verify)).to_be_visible()

    (message,) = [m for m in mail.outbox if m.to == ["olena@example.org"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    # The link is on SITE_URL: the same path on the test's server.
    newcomer.goto(live_server.url + urlsplit(link).path)
    newcomer.get_by_role("button", name=confirm).click()
    newcomer.goto(f"{live_server.url}/accounts/login/")
    newcomer.get_by_label(email).fill("olena@example.org")
    newcomer.get_by_label(password).fill("a-long-test-password-42")
    newcomer.get_by_role("button", name=sign_in).click()
    # Logged in, the portal speaks the language she chose at sign-up.
    expect(newcomer.get_by_role("heading", name="Мій форум")).to_be_visible()
    expect(newcomer.get_by_text("очікує на схвалення секретаріату")).to_be_visible()

    newcomer.goto(f"{live_server.url}{workshop.get_absolute_url()}")
    expect(newcomer.get_by_text("очікує на схвалення секретаріату")).to_be_visible()
    expect(newcomer.get_by_role("button", name="Зареєструватися")).to_have_count(0)

    staff = browser.new_context().new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("Email").fill(secretariat.email)
    staff.get_by_label("Password").fill(DEFAULT_PASSWORD)
    staff.get_by_role("button", name="Sign In").click()
    staff.get_by_role("link", name="Membership requests").click()
    decision = staff.get_by_role("group", name="Decision on Olena Kovalenko")
    decision.get_by_label("Approve").check()
    staff.get_by_role("button", name="Send the decision").click()
    expect(staff.get_by_text("Olena Kovalenko is approved and has been told.")).to_be_visible()

    newcomer.goto(f"{live_server.url}/members/my-forum/")
    expect(
        newcomer.get_by_text("Ви берете участь від організації Open Budget Ukraine.")
    ).to_be_visible()
    member = User.objects.get(email="olena@example.org")
    assert member.membership_status == MembershipStatus.APPROVED
    assert member.privacy_consented_at is not None
    assert member.preferred_language == "uk"  # the e-mail below is in Ukrainian
    assert any("схвалено" in m.subject for m in mail.outbox if m.to == [member.email])


def test_a_proposed_organisation_is_verified_with_its_first_member(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.org",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
            "full_name": "Ana Ferreira",
            "new_organisation_name": "Transparência Local",
            "new_organisation_sector": OrganisationFactory().sector_id,
            "new_organisation_country": "PT",
            "preferred_language": "pt",
            "privacy_consent": "on",
        },
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Transparência Local")
    assert not organisation.verified
    membership_approve(member=User.objects.get(email="ana@example.org"), by=None)
    organisation.refresh_from_db()
    assert organisation.verified


def test_sign_up_without_an_organisation_keeps_what_was_typed(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.org",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
            "full_name": "Ana Ferreira",
            "preferred_language": "pt",
            "privacy_consent": "on",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose your organisation, or propose it below." in html
    assert 'value="Ana Ferreira"' in html
    assert not User.objects.filter(email="ana@example.org").exists()
