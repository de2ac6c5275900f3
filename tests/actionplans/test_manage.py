"""A forum's management pages (/manage/<forum>/): who may open them, the index of its
processes, workshops and plans, and the new action plan form."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
    role_give,
)

pytestmark = pytest.mark.django_db

PAGES = ["manage:index", "manage:workshop_create", "manage:plan_create"]


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo", country="RS")


@pytest.fixture
def city_secretariat(city):
    member = UserFactory()
    role_give(member, "secretariat", city)
    return member


def visitor(kind, city):
    if kind == "anonymous":
        return None
    if kind == "member":
        return UserFactory()
    if kind == "facilitator":
        member = UserFactory()
        role_give(member, "facilitator", city)
        return member
    if kind == "other forum's secretariat":
        return UserFactory(roles=["secretariat"])  # of the default (national) forum
    if kind == "secretariat":
        member = UserFactory()
        role_give(member, "secretariat", city)
        return member
    return UserFactory(is_superuser=True, is_staff=True)


EXPECTED = {
    "anonymous": "login",
    "member": 403,
    "facilitator": 403,
    "other forum's secretariat": 403,
    "secretariat": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_only_the_forums_secretariat_opens_its_management_pages(client, city, name, kind):
    user = visitor(kind, city)
    if user:
        client.force_login(user)

    response = client.get(reverse(name, args=[city.slug]))

    if kind == "facilitator" and name == "manage:index":
        # A facilitator opens the overview, which lists the workshops they facilitate.
        assert response.status_code == 200
        assert "Waiting for you" not in response.content.decode()
    elif EXPECTED[kind] == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == EXPECTED[kind]


@pytest.mark.parametrize("name", PAGES)
def test_posting_to_another_forums_pages_is_forbidden_too(client, city, name):
    client.force_login(UserFactory(roles=["secretariat"]))

    response = client.post(reverse(name, args=[city.slug]), {"title": "Not mine"})

    assert response.status_code == 403
    assert not ActionPlan.objects.filter(title="Not mine").exists()


@pytest.mark.parametrize("path", ["/manage/no-such-forum/", "/manage/no-such-forum/plans/new/"])
def test_an_unknown_forum_is_not_found(client, path):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/manage/%00/", "/manage/a%20b/", "/manage/" + "x" * 300 + "/"])
def test_a_malformed_forum_address_is_not_found(client, path):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(path).status_code == 404


def _fill(forum, n):
    for i in range(n):
        process = CoCreationProcessFactory(forum=forum)
        WorkshopFactory(process=process, status="draft" if i % 2 else "published")
        ActionPlanFactory(forum=forum)


def test_the_index_lists_the_forums_processes_workshops_and_plans_only(
    client, city, city_secretariat
):
    process = CoCreationProcessFactory(forum=city, title="Pančevo's co-creation")
    workshop = WorkshopFactory(process=process, title="Budget walk")
    plan = ActionPlanFactory(forum=city, title="1st local action plan of Pančevo")
    WorkshopFactory(title="A national workshop")
    ActionPlanFactory(title="A national plan")
    client.force_login(city_secretariat)

    page = client.get(reverse("manage:index", args=[city.slug])).content.decode()

    assert "Pančevo&#x27;s co-creation" in page
    assert f'href="{workshop.get_absolute_url()}"' in page and "Budget walk" in page
    assert f'href="{plan.get_absolute_url()}"' in page
    assert "A national workshop" not in page and "A national plan" not in page
    assert reverse("manage:workshop_create", args=[city.slug]) in page
    assert reverse("manage:plan_create", args=[city.slug]) in page
    assert 'href="/forums/pancevo/"' in page


def test_the_index_costs_the_same_queries_for_1_and_3_of_each(
    client, city, city_secretariat, django_assert_num_queries
):
    other = ForumFactory()
    role_give(city_secretariat, "secretariat", other)
    _fill(city, 1)
    _fill(other, 3)
    client.force_login(city_secretariat)
    client.get(reverse("manage:index", args=[city.slug]))  # warm the session
    client.get(reverse("manage:index", args=[other.slug]))  # its health thresholds are made

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("manage:index", args=[city.slug])).status_code == 200
    with django_assert_num_queries(len(few)):
        assert client.get(reverse("manage:index", args=[other.slug])).status_code == 200


# --- A new action plan ----------------------------------------------------------------------


def plan_data(**overrides):
    data = {
        "title": "1st local action plan of Pančevo 2027–2029",
        "slug": "pancevo-1",
        "country": "RS",
        "locality": "Pančevo",
        "number": "1",
        "period_start": "2027-01-01",
        "period_end": "2028-12-31",
        "language": "sr",
        "status": "co_creation",
        "process": "",
        "vision": "Отворена и одговорна локална самоуправа.",
        "efforts_to_date": "",
        "development": "",
    }
    data.update(overrides)
    return data


def test_the_secretariat_creates_an_action_plan_of_its_forum(client, city, city_secretariat):
    process = CoCreationProcessFactory(forum=city)
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:plan_create", args=[city.slug]),
        plan_data(process=process.pk),
        follow=True,
    )

    plan = ActionPlan.objects.get()
    # to its back-office page, where its status, dates and repository are set
    assert response.redirect_chain == [(reverse("manage:plan", args=[city.slug, plan.slug]), 302)]
    assert plan.forum == city and plan.process == process
    assert (plan.language, plan.locality, plan.country.code) == ("sr", "Pančevo", "RS")
    assert plan.period_end == date(2028, 12, 31)
    page = response.content.decode()
    assert "is created" in page
    assert "Pančevo local forum" in page and f'href="{plan.get_absolute_url()}"' in page
    entry = AuditEntry.objects.get(action="plan.created")
    assert entry.actor == city_secretariat and entry.data["forum"] == "pancevo"


def test_the_plan_form_proposes_the_forums_country_and_city(client, city, city_secretariat):
    client.force_login(city_secretariat)

    form = client.get(reverse("manage:plan_create", args=[city.slug])).context["form"]

    assert (form["country"].value(), form["locality"].value()) == ("RS", "Pančevo")
    assert "consultation" not in dict(form.fields["status"].choices)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_end": "2026-12-31"}, "period_end"),
        ({"period_end": "2027-01-01"}, "period_end"),
        ({"slug": "taken"}, "slug"),
        ({"language": "xx"}, "language"),
        ({"status": "consultation"}, "status"),
        ({"title": ""}, "title"),
    ],
    ids=["ends-before", "ends-as-it-starts", "slug-taken", "language", "consultation", "title"],
)
def test_invalid_plans_are_refused_beside_the_field(
    client, city, city_secretariat, overrides, field
):
    ActionPlanFactory(slug="taken")
    client.force_login(city_secretariat)

    response = client.post(reverse("manage:plan_create", args=[city.slug]), plan_data(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "1st local action plan of Pančevo" in response.content.decode() or field == "title"
    assert not ActionPlan.objects.filter(forum=city).exists()


def test_a_process_of_another_forum_posted_by_hand_is_a_field_error(client, city, city_secretariat):
    national = CoCreationProcessFactory()
    client.force_login(city_secretariat)

    response = client.post(
        reverse("manage:plan_create", args=[city.slug]), plan_data(process=national.pk)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["process"]
    assert not ActionPlan.objects.exists()


def _plan_fields(**overrides):
    fields = {
        "title": "A plan",
        "slug": "a-plan",
        "country": "RS",
        "period_start": date(2027, 1, 1),
        "period_end": date(2028, 12, 31),
        "language": "sr",
    }
    fields.update(overrides)
    return fields


def test_the_service_refuses_another_forums_secretariat(city):
    with pytest.raises(NotAllowed):
        services.plan_create(
            forum=city, fields=_plan_fields(), by=UserFactory(roles=["secretariat"])
        )
    assert not ActionPlan.objects.exists()


def test_the_service_refuses_another_forums_process_and_a_period_out_of_order(
    city, city_secretariat
):
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            forum=city,
            fields=_plan_fields(process=CoCreationProcessFactory()),
            by=city_secretariat,
        )
    assert "process" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            forum=city,
            fields=_plan_fields(period_end=date(2026, 1, 1)),
            by=city_secretariat,
        )
    assert "period_end" in refused.value.error_dict
    assert not ActionPlan.objects.exists()


def test_my_forum_links_the_management_pages_of_the_forums_one_runs(client, city):
    both = UserFactory(roles=["secretariat"])  # the default forum's
    role_give(both, "secretariat", city)
    client.force_login(both)

    page = client.get(reverse("members:my_forum")).content.decode()

    assert reverse("manage:index", args=[city.slug]) in page
    assert reverse("manage:index", args=[default_forum().slug]) in page
    client.force_login(UserFactory())
    page = client.get(reverse("members:my_forum")).content.decode()
    assert "/manage/" not in page and "Forums you run" not in page
