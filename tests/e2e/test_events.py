"""A member submits an event, the secretariat approves it, and it appears on the map and in
the list of the public calendar. No tiles load (no internet): the markers still show."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.factories.events import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Open budgets: a public debate in Lisbon"


def log_in(browser, live_server, user):
    page = browser.new_context().new_page()
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text(f"Logged in as {user.get_full_name()}")).to_be_visible()
    return page


def test_a_submitted_event_is_approved_and_shows_on_the_map_and_in_the_list(browser, live_server):
    campaign = CampaignFactory(name="Open Gov Week 2026", slug="open-gov-week-2026")
    member = UserFactory(full_name="Ana Ferreira")
    secretariat = UserFactory(full_name="Eleni Papadopoulou", roles=["secretariat"])
    day = (timezone.localdate() + timedelta(days=20)).isoformat()

    organiser = log_in(browser, live_server, member)
    organiser.goto(f"{live_server.url}/events/")
    organiser.get_by_role("link", name="Submit an event").click()
    form = organiser.get_by_role("form", name="Submit an event")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Description").fill("Officials and residents discuss the budget.")
    form.get_by_label("Format").select_option("public_debate")
    # Each campaign is named with its forum, whose secretariat reviews its events.
    form.get_by_label("Campaign").select_option(label=f"Open Gov Week 2026 ({campaign.forum})")
    form.get_by_label("Language").select_option("pt")
    form.get_by_label("Time zone").select_option("Europe/Lisbon")
    form.get_by_label("Starts").fill(f"{day}T18:00")
    form.get_by_label("Ends").fill(f"{day}T20:00")
    form.get_by_label("In person or online").select_option("in_person")
    form.get_by_label("Address").fill("Praça do Município")
    form.get_by_label("City").fill("Lisbon")
    form.get_by_label("Country").select_option("PT")
    form.get_by_label("Latitude").fill("38.70780")
    form.get_by_label("Longitude").fill("-9.13960")
    form.get_by_label("The venue or platform is accessible").check()
    organiser.get_by_role("button", name="Submit for review").click()
    expect(organiser.get_by_text("your event is submitted")).to_be_visible()
    expect(organiser.get_by_text("waits for the secretariat's review")).to_be_visible()

    host = log_in(browser, live_server, secretariat)
    host.goto(f"{live_server.url}/events/review/")
    card = host.get_by_role("listitem").filter(has=host.get_by_role("heading", name=TITLE))
    card.get_by_role("button", name="Approve and publish").click()
    expect(host.get_by_text(f"“{TITLE}” is published")).to_be_visible()

    public = browser.new_context().new_page()
    public.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    public.goto(f"{live_server.url}/events/map/?country=PT")
    expect(public.locator(f'.leaflet-marker-icon[title="{TITLE}"]')).to_be_visible()
    expect(public.get_by_text("1 event on the map.")).to_be_visible()
    public.get_by_role("link", name="Skip the map: the same events as a list").click()
    expect(public.get_by_role("link", name=TITLE)).to_be_visible()

    public.get_by_role("link", name="List", exact=True).click()
    expect(public).to_have_url(f"{live_server.url}/events/?country=PT")
    public.get_by_role("heading", name=TITLE).get_by_role("link").click()
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(public.get_by_text("Praça do Município, Lisbon, Portugal")).to_be_visible()

    # Let the map's images finish loading before the live server's database goes away.
    for page in (organiser, host, public):
        page.wait_for_load_state("networkidle")
        page.context.close()
