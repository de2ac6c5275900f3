"""Action plans in several forums: a commitment is signed off by the co-chairs of its own
plan's forum, on every page and in the services; the pages, the PDF and the open data name
the plan's forum."""

import csv
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actionplans import rendering, selectors, services
from actionplans.models import Commitment
from members.models import StakeholderGroup
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ForumFactory,
    default_forum,
    member_of,
    seat_give,
)

S = Commitment.Status
GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT
pytestmark = pytest.mark.django_db


def co_chair(group, forum, name):
    member = member_of(group, full_name=name)
    seat_give(member, forum=forum, co_chair=True)
    return member


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def chairs(city):
    return {
        "city_gov": co_chair(GOV, city, "Jelena Petrović"),
        "city_ngo": co_chair(NGO, city, "Marko Jovanović"),
        "national_gov": co_chair(GOV, default_forum(), "Sofia Nikolaou"),
        "national_ngo": co_chair(NGO, default_forum(), "Nikos Georgiou"),
    }


@pytest.fixture
def city_commitment(city):
    plan = ActionPlanFactory(forum=city, title="1st local action plan of Pančevo", language="sr")
    return CommitmentFactory(plan=plan, status=S.FORUM_REVIEW, title="Open city budget")


def _sign_off(client, member, commitment):
    client.force_login(member)
    return client.post(
        reverse("actionplans:commitment_sign_off", args=[commitment.plan.slug, commitment.number]),
        follow=True,
    )


def test_the_city_forums_co_chairs_validate_a_city_commitment_and_national_ones_cannot(
    client, chairs, city_commitment
):
    for national in (chairs["national_gov"], chairs["national_ngo"]):
        page = _sign_off(client, national, city_commitment).content.decode()
        assert "Only the co-chairs of this plan&#x27;s forum body sign off" in page
    assert city_commitment.sign_offs.count() == 0

    _sign_off(client, chairs["city_gov"], city_commitment)
    city_commitment.refresh_from_db()
    assert city_commitment.status == S.FORUM_REVIEW  # one group is not enough
    page = _sign_off(client, chairs["city_ngo"], city_commitment).content.decode()

    city_commitment.refresh_from_db()
    assert city_commitment.status == S.VALIDATED
    assert "it is validated" in page
    signed = {s.stakeholder_group: s.co_chair for s in city_commitment.sign_offs.all()}
    assert signed == {GOV: chairs["city_gov"], NGO: chairs["city_ngo"]}


def test_the_service_refuses_a_co_chair_of_another_forum(chairs, city_commitment):
    with pytest.raises(services.ActionPlanError, match="this plan's forum"):
        services.commitment_sign_off(commitment=city_commitment, by=chairs["national_gov"])
    national = CommitmentFactory(status=S.FORUM_REVIEW)
    with pytest.raises(services.ActionPlanError, match="this plan's forum"):
        services.commitment_sign_off(commitment=national, by=chairs["city_gov"])
    services.commitment_sign_off(commitment=national, by=chairs["national_gov"])  # allowed


def test_the_commitment_page_lists_the_plans_forums_co_chairs_and_names_the_forum(
    client, chairs, city_commitment
):
    page = client.get(city_commitment.get_absolute_url()).content.decode()

    assert "Jelena Petrović" in page and "Marko Jovanović" in page
    assert "Sofia Nikolaou" not in page and "Nikos Georgiou" not in page
    assert '<a href="/forums/pancevo/">Pančevo local forum</a>' in page
    assert "the body of Pančevo local forum" in page


def test_a_co_chair_of_another_forum_reads_why_they_cannot_sign_off(
    client, chairs, city_commitment
):
    client.force_login(chairs["national_gov"])

    page = client.get(city_commitment.get_absolute_url()).content.decode()

    assert "Sign off for my stakeholder group" not in page
    assert "Only the co-chairs of this plan&#x27;s forum body sign off its commitments." in page
    client.force_login(chairs["city_gov"])
    page = client.get(city_commitment.get_absolute_url()).content.decode()
    assert "Sign off for my stakeholder group" in page


def test_my_commitments_lists_the_sign_offs_awaited_per_forum(client, city, chairs):
    city_plan = ActionPlanFactory(forum=city)
    city_waiting = CommitmentFactory(plan=city_plan, status=S.FORUM_REVIEW, title="City one")
    national_waiting = CommitmentFactory(status=S.FORUM_REVIEW, title="National one")
    both = chairs["national_gov"]
    seat_give(both, forum=city, co_chair=False)  # a plain seat in the city: no sign-off there
    client.force_login(both)

    page = client.get(reverse("actionplans:my_commitments")).content.decode()
    assert "National one" in page and "City one" not in page

    client.force_login(chairs["city_ngo"])
    page = client.get(reverse("actionplans:my_commitments")).content.decode()
    assert "City one" in page and "National one" not in page
    assert "<h3>Pančevo local forum</h3>" in page

    # Someone who co-chairs both forums sees both, under each forum's name.
    other = ForumFactory(name="Working group on budgets")
    seat_give(chairs["city_ngo"], forum=other, co_chair=True)
    other_waiting = CommitmentFactory(
        plan=ActionPlanFactory(forum=other), status=S.FORUM_REVIEW, title="Budget one"
    )
    page = client.get(reverse("actionplans:my_commitments")).content.decode()
    assert "<h3>Pančevo local forum</h3>" in page and "<h3>Working group on budgets</h3>" in page
    assert page.index(city_waiting.title) < page.index("<h3>Working group on budgets</h3>")
    assert page.index("<h3>Working group on budgets</h3>") < page.index(other_waiting.title)
    assert national_waiting.title not in page


# --- The PDF and the open data -------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_pdf_names_the_forum_on_the_cover_and_in_the_running_footer(city):
    plan = ActionPlanFactory(forum=city, title="Први локални акциони план Панчева", language="sr")
    for number in (1, 2):
        CommitmentFactory(plan=plan, number=number, status=S.INCLUDED)

    pdf, pages = rendering.plan_pdf_render(plan)

    reader = PdfReader(io.BytesIO(pdf))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Pančevo local forum" in cover and "Први локални акциони план Панчева" in cover
    later = [" ".join(page.extract_text().split()) for page in reader.pages[1:]]
    assert later and all("Pančevo local forum" in text for text in later)


def test_a_commitments_pdf_names_the_forum_too(city_commitment):
    pdf, _pages = rendering.plan_pdf_render(city_commitment.plan, commitment=city_commitment)

    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Pančevo local forum" in " ".join(cover.split())


def test_renaming_the_forum_makes_the_cached_pdf_stale(city_commitment):
    plan = city_commitment.plan
    before = selectors.fingerprint(plan, kind="pdf")
    plan.forum.name = "Pančevo city forum"
    plan.forum.save()

    assert selectors.fingerprint(plan, kind="pdf") != before


def test_the_csv_and_json_name_the_forum(client, city_commitment):
    plan = city_commitment.plan

    response = client.get(reverse("actionplans:plan_csv", args=[plan.slug]))
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    data = json.loads(client.get(reverse("actionplans:plan_json", args=[plan.slug])).content)

    assert [row["forum"] for row in rows] == ["Pančevo local forum"]
    assert data["action_plan"]["forum"] == {"name": "Pančevo local forum", "slug": "pancevo"}
    assert data["commitments"][0]["forum"] == "Pančevo local forum"


def test_the_open_data_page_names_each_plans_forum(client, city_commitment):
    page = client.get(reverse("open_data")).content.decode()
    assert "1st local action plan of Pančevo (Pančevo local forum)" in page
