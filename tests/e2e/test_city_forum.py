"""A city's forum beside the national one: its secretariat creates the city's workshop and
action plan, the city's two co-chairs sign off its commitment (the national co-chair cannot),
the PDF carries the city forum's name, and the national forum's pages are untouched."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from actionplans.models import ActionPlan, Commitment
from cocreation.models import Workshop
from tests.e2e.test_workshop_session import log_in
from tests.factories import (
    ActionPlanFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
    member_of,
    role_give,
    seat_give,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_city_forum_runs_its_own_workshop_plan_and_sign_off(browser, live_server):
    national = default_forum()
    national_workshop = WorkshopFactory(title="Open data and access to information")
    national_plan = ActionPlanFactory(title="6th National Action Plan")
    national_chair = member_of("government", full_name="Eleni Papadopoulou")
    seat_give(national_chair, forum=national, co_chair=True)

    city = ForumFactory(name="Pančevo Open Government Forum", slug="pancevo", country="RS")
    secretariat = UserFactory(full_name="Ana Stanković")
    role_give(secretariat, "secretariat", city)
    city_chairs = [
        member_of("government", full_name="Vladimir Marković"),
        member_of("non_government", full_name="Jovana Pavlović"),
    ]
    for chair in city_chairs:
        seat_give(chair, forum=city, co_chair=True)
    home = national.get_absolute_url()
    national_pages = {
        path: _text(browser, live_server, path)
        for path in (home, f"{home}workshops/", f"{home}plans/", f"{home}body/")
    }

    # The city's secretariat creates the city's workshop, in the city's time zone.
    office = log_in(browser, live_server, secretariat)
    office.goto(f"{live_server.url}/manage/pancevo/")
    office.get_by_role("link", name="New workshop").click()
    office.get_by_label("Or a new co-creation process").fill("Pančevo's local action plan")
    office.get_by_label("Title").fill("Open data of Pančevo")
    expect(office.get_by_label("Time zone")).to_have_value("Europe/Belgrade")
    office.get_by_label("Starts").fill("2027-01-15T10:00")
    office.get_by_label("Ends").fill("2027-01-15T12:00")
    office.get_by_label("Venue").fill("Pančevo city hall")
    office.get_by_label("Status").select_option("published")
    office.get_by_role("button", name="Create the workshop").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Open data of Pančevo")
    expect(office.get_by_text("10:00").or_(office.get_by_text("10 a.m.")).first).to_be_visible()
    workshop = Workshop.objects.get(title="Open data of Pančevo")
    assert workshop.process.forum == city
    assert workshop.starts_at.hour == 9  # 10:00 in Belgrade in January is 09:00 UTC

    # … and the city's action plan, in Serbian.
    office.goto(f"{live_server.url}/manage/pancevo/")
    office.get_by_role("link", name="New action plan").click()
    office.get_by_label("Title").fill("Local action plan of Pančevo 2027")
    office.get_by_label("Slug").fill("pancevo-2027")
    office.get_by_label("Number").fill("1")
    office.get_by_label("Period starts").fill("2027-01-01")
    office.get_by_label("Period ends").fill("2027-12-31")
    office.locator("main").get_by_label("Language").select_option("sr")
    office.get_by_role("button", name="Create the action plan").click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("Pančevo 2027")
    expect(office.get_by_role("link", name="Pančevo Open Government Forum").first).to_be_visible()
    plan = ActionPlan.objects.get(slug="pancevo-2027")
    assert plan.forum == city

    # A commitment, sent to the city's forum for review.
    office.get_by_role("link", name="New draft commitment").click()
    office.get_by_label("Title").fill("Open budget data of the city")
    office.get_by_role("button", name="Create the draft").click()
    commitment = Commitment.objects.get(plan=plan)
    url = f"{live_server.url}{commitment.get_absolute_url()}"
    office.goto(url)
    office.get_by_role("button", name="Send to the forum for review").click()
    expect(office.get_by_text("In forum review").first).to_be_visible()

    # The national co-chair cannot sign off the city's commitment; the city's two do.
    outsider = log_in(browser, live_server, national_chair)
    outsider.goto(url)
    expect(outsider.get_by_role("button", name="Sign off for my stakeholder group")).to_have_count(
        0
    )
    for chair in city_chairs:
        chair_page = log_in(browser, live_server, chair)
        chair_page.goto(url)
        chair_page.get_by_role("button", name="Sign off for my stakeholder group").click()
        expect(chair_page.get_by_text(f"signed by {chair.public_name}")).to_be_visible()
    expect(chair_page.get_by_text("it is validated")).to_be_visible()

    # The plan's PDF carries the city forum's name.
    office.goto(f"{live_server.url}{plan.get_absolute_url()}")
    office.get_by_role("link", name="Downloads").first.click()
    office.get_by_role("button", name="Build the PDF").click()
    expect(office.get_by_text("The PDF is ready")).to_be_visible(timeout=60_000)
    with office.expect_download() as download:
        office.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as pdf:
        cover = PdfReader(io.BytesIO(pdf.read())).pages[0].extract_text()
    assert "Pančevo Open Government Forum" in cover

    # The national forum's pages are as they were, its workshop and plan its own.
    for path, before in national_pages.items():
        assert _text(browser, live_server, path) == before, path
    national_workshop.refresh_from_db()
    assert national_workshop.process.forum == national
    assert national_plan.commitments.count() == 0
    listed = _text(browser, live_server, f"/workshops/?forum={national.slug}")
    assert "Open data of Pančevo" not in listed and national_workshop.title in listed


def _text(browser, live_server, path) -> str:
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}{path}")
    text = page.locator("main").inner_text()
    page.context.close()
    return text
