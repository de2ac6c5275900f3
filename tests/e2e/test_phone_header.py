"""On a phone the header keeps to one short row (the site's name, the unread count and a Menu
button) and the menu opens and closes as a disclosure; without JavaScript it stays open."""

import pytest

from tests.e2e.test_accessibility import AXE_SCRIPT, FAILING_IMPACTS, _describe
from tests.factories import UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(context, live_server, client, user):
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_menu_folds_behind_one_button_on_a_phone(browser, live_server, client):
    member = member_of(UserFactory(full_name="Nikos Papadakis"))
    context = browser.new_context(viewport={"width": 360, "height": 740})
    _log_in(context, live_server, client, member)
    page = context.new_page()
    page.goto(live_server.url + "/workshops/")

    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator(".site-header").bounding_box()["height"] <= 0.15 * 740
    assert not page.get_by_role("link", name="Action plans").is_visible()
    assert page.locator(".site-header__notices").is_visible()  # the unread count stays in sight

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Action plans").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Action plans").is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})  # on a wide screen, no button
    assert not toggle.is_visible()
    assert page.get_by_role("link", name="Action plans").is_visible()
    context.close()


def test_without_javascript_the_menu_stays_open(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/workshops/")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.get_by_role("link", name="Action plans").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_folded_menu_and_a_scrolling_table_pass_axe_on_a_phone(
    browser, live_server, client, language
):
    """axe on the new controls: the Menu button (closed and open), the unread count beside
    it, and a table's scrolling region with its hint (the secretariat's workshops)."""
    secretariat = UserFactory(roles=["secretariat"], full_name="Ana Ferreira")
    WorkshopFactory(title="Open data and access to information")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    _log_in(context, live_server, client, secretariat)
    page = context.new_page()
    page.goto(live_server.url + "/manage/")
    page.goto(page.url)  # the chooser leads to the forum's back office
    assert page.locator(".menu-toggle").is_visible()
    for opened in (False, True):
        if opened:
            page.locator(".menu-toggle").click()
        page.evaluate(AXE_SCRIPT)
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        assert not serious, _describe(serious)
    context.close()
