import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_shows_heading_and_navigation(page, live_server, settings):
    UserFactory.create_batch(3)

    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text(settings.SITE_NAME)
    navigation = page.get_by_role("navigation", name="Main")
    for name in ["Members", "Co-creation", "Action plans", "Events"]:
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Government")


def test_a_visitor_moves_through_the_areas_by_keyboard(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Co-creation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Co-creation")
    expect(page).to_have_url(live_server.url + "/workshops/")


def test_the_page_loads_without_console_errors(page, live_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")

    assert errors == []  # no CSP violation, no missing asset
