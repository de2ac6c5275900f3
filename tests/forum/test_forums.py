"""Several forums in one portal: /forums/ and each forum's pages show only that forum's
workshops, plans and body; the lists of every forum filter by forum and name each row's; the
site administrator creates forums."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreation.models import Workshop
from core.audit.models import AuditEntry
from members.models import Forum, ForumRole, ForumSeat, StakeholderGroup
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    ForumFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
    seat_give,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

GOV, NON_GOV = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def athens():
    return ForumFactory(
        name="Athens Open Government Forum",
        slug="athens",
        kind=Forum.Kind.NATIONAL,
        country="GR",
        region="",
    )


@pytest.fixture
def pancevo():
    return ForumFactory(name="Pančevo Local Forum", slug="pancevo")


def workshop_in(forum, title, **kwargs):
    return WorkshopFactory(process=CoCreationProcessFactory(forum=forum), title=title, **kwargs)


# --- The list of forums and a forum's page -------------------------------------------------


def test_the_forums_list_shows_each_forum_its_place_parent_working_groups_and_next_workshops(
    client, athens, pancevo
):
    group = ForumFactory(
        name="Athens Working Group on Budgets",
        slug="athens-budgets",
        kind=Forum.Kind.WORKING_GROUP,
        parent=athens,
    )
    workshop_in(athens, "Open budgets workshop")
    workshop_in(pancevo, "Pančevo river workshop")
    workshop_in(pancevo, "A draft", status="draft")

    text = page(client.get("/forums/"))

    for name in [athens.name, pancevo.name, group.name]:
        assert name in text
    assert "National forum" in text and "Local or subnational forum" in text
    assert "Pančevo" in text and "Greece" in text
    assert f'Part of <a href="/forums/athens/">{athens.name}</a>' in text
    assert f'Working groups: <a href="/forums/athens-budgets/">{group.name}</a>' in text
    assert "Open budgets workshop" in text and "Pančevo river workshop" in text
    assert "A draft" not in text
    assert "Create a forum" not in text  # for the site administrator only


def test_a_forums_page_shows_its_own_facts_co_chairs_workshops_and_plans_only(
    client, athens, pancevo
):
    group = ForumFactory(
        name="Athens Working Group on Budgets",
        slug="athens-budgets",
        kind=Forum.Kind.WORKING_GROUP,
        parent=athens,
        description="Follows the budget commitments.",
    )
    seat_give(member_of(GOV, full_name="Eleni Papadopoulou"), forum=group, co_chair=True)
    seat_give(member_of(GOV, full_name="Chair Elsewhere"), forum=pancevo, co_chair=True)
    workshop_in(group, "Budget working session")
    workshop_in(pancevo, "Pančevo river workshop")
    ActionPlanFactory(forum=group, title="Budget transparency plan")
    ActionPlanFactory(forum=pancevo, title="Pančevo local action plan")
    EventFactory(forum=group, campaign=None, title="Budget open day")

    response = client.get("/forums/athens-budgets/")

    assert response.status_code == 200
    text = page(response)
    assert "<h1>Athens Working Group on Budgets</h1>" in text
    assert "Working group of a forum" in text
    assert "Follows the budget commitments." in text
    assert f'<a href="/forums/athens/">{athens.name}</a>' in text  # its parent
    assert "Government: Eleni Papadopoulou" in text
    assert "Non-government: not named yet" in text
    assert "Budget working session" in text and "Budget open day" in text
    assert "Budget transparency plan" in text
    assert "Chair Elsewhere" not in text
    assert "Pančevo river workshop" not in text and "Pančevo local action plan" not in text
    for address in ["body", "composition", "workshops", "plans", "health"]:
        assert f'href="/forums/athens-budgets/{address}/"' in text
    # The parent's page lists its working group.
    assert f'<a href="/forums/athens-budgets/">{group.name}</a>' in page(
        client.get("/forums/athens/")
    )


def test_each_forums_body_shows_its_own_seats_only(client, athens, pancevo):
    seat_give(member_of(GOV, full_name="Eleni Papadopoulou"), forum=athens, co_chair=True)
    seat_give(member_of(NON_GOV, full_name="Agnieszka Nowak"), forum=athens)
    seat_give(member_of(GOV, full_name="Milan Jovanović"), forum=pancevo, co_chair=True)

    athens_body = page(client.get(reverse("forums:body", args=["athens"])))
    pancevo_body = page(client.get(reverse("forums:body", args=["pancevo"])))

    assert "The body of Athens Open Government Forum" in athens_body
    assert 'Eleni Papadopoulou <span class="badge">co-chair</span>' in athens_body
    assert "Agnieszka Nowak" in athens_body
    assert "Milan Jovanović" not in athens_body
    assert 'Milan Jovanović <span class="badge">co-chair</span>' in pancevo_body
    assert "Eleni Papadopoulou" not in pancevo_body


def test_the_old_forum_body_address_serves_the_first_forum(client, athens):
    seat_give(member_of(GOV, full_name="Default Chair"), co_chair=True)  # the default forum
    seat_give(member_of(GOV, full_name="Athens Chair"), forum=athens, co_chair=True)

    text = page(client.get("/members/forum-body/"))

    assert "Default Chair" in text
    assert "Athens Chair" not in text


def test_each_forums_workshops_are_its_own_and_name_no_other_forum(client, athens, pancevo):
    workshop_in(athens, "Open budgets workshop")
    workshop_in(pancevo, "Pančevo river workshop")

    response = client.get(reverse("forums:workshops", args=["athens"]))

    text = page(response)
    assert "Workshops of Athens Open Government Forum" in text
    assert "Open budgets workshop" in text
    assert "Pančevo river workshop" not in text
    assert 'name="forum"' not in text  # the forum is fixed: nothing to choose
    # Only its own processes to filter by.
    processes = response.context["filter"].form.fields["process"].queryset
    assert list(processes) == list(athens.processes.all())


def test_each_forums_plans_are_its_own(client, athens, pancevo):
    ActionPlanFactory(forum=athens, title="Athens plan")
    ActionPlanFactory(forum=pancevo, title="Pančevo plan")

    text = page(client.get(reverse("forums:plans", args=["pancevo"])))

    assert "Action plans of Pančevo Local Forum" in text
    assert "Pančevo plan" in text
    assert "Athens plan" not in text


def test_a_forums_composition_counts_its_body_and_workshop_participants_only(
    client, athens, pancevo
):
    seated = member_of(GOV)
    seat_give(seated, forum=athens)
    ended = member_of(GOV)
    seat_give(ended, forum=athens, term_end=timezone.localdate() - timedelta(days=1))
    workshop = workshop_in(athens, "Open budgets workshop")
    RegistrationFactory(workshop=workshop, group=NON_GOV)
    RegistrationFactory(workshop=workshop, group=NON_GOV, status="cancelled")
    RegistrationFactory(workshop=workshop_in(pancevo, "Elsewhere"), group=NON_GOV)
    UserFactory()  # takes part nowhere

    forum_page = client.get(reverse("forums:composition", args=["athens"]))
    portal_page = client.get(reverse("members:composition"))

    groups = {g["label"]: g["members_n"] for g in forum_page.context["groups"]}
    assert groups == {"Government": 1, "Non-government": 1}
    assert sum(g["organisations_n"] for g in forum_page.context["groups"]) == 2
    assert "The composition of Athens Open Government Forum" in page(forum_page)
    # The portal's numbers count every approved member, as before.
    assert sum(g["members_n"] for g in portal_page.context["groups"]) == 6


@pytest.mark.parametrize("address", ["", "body/", "composition/", "workshops/", "plans/"])
def test_an_unknown_or_malformed_forum_is_404(client, address):
    assert client.get(f"/forums/no-such-forum/{address}").status_code == 404
    assert client.get(f"/forums/bad%20slug%00/{address}").status_code == 404


def test_the_navigation_links_the_forums(client):
    response = client.get("/forums/")

    assert '<a href="/forums/" aria-current="page">Forums</a>' in response.content.decode()
    assert 'href="/forums/"' in client.get("/workshops/").content.decode()


# --- The lists of every forum ----------------------------------------------------------------


def test_the_workshop_list_filters_by_forum_and_names_each_rows_forum(client, athens, pancevo):
    workshop_in(athens, "Open budgets workshop")
    workshop_in(pancevo, "Pančevo river workshop")

    everything = page(client.get("/workshops/"))
    one = page(client.get("/workshops/", {"forum": "pancevo"}))

    assert f'<a href="/forums/athens/">{athens.name}</a>' in everything
    assert f'<a href="/forums/pancevo/">{pancevo.name}</a>' in everything
    assert '<option value="pancevo">Pančevo Local Forum</option>' in everything
    assert "Pančevo river workshop" in one
    assert "Open budgets workshop" not in one


def test_the_action_plan_list_filters_by_forum_and_names_each_rows_forum(client, athens, pancevo):
    ActionPlanFactory(forum=athens, title="Athens plan")
    ActionPlanFactory(forum=pancevo, title="Pančevo plan")

    everything = page(client.get("/action-plans/"))
    one = page(client.get("/action-plans/", {"forum": "athens"}))
    unknown = client.get("/action-plans/", {"forum": "no-such-forum"})

    assert f'<a href="/forums/athens/">{athens.name}</a>' in everything
    assert f'<a href="/forums/pancevo/">{pancevo.name}</a>' in everything
    assert "Athens plan" in one and "Pančevo plan" not in one
    assert "Select a valid choice" in page(unknown)


# --- Query counts ----------------------------------------------------------------------------


def _forum_with_whats_coming(n):
    forum = ForumFactory(name=f"Forum number {n}", slug=f"forum-number-{n}")
    workshop_in(forum, f"Workshop of forum {n}")
    workshop_in(forum, f"Second workshop of forum {n}")
    EventFactory(forum=forum, campaign=None, title=f"Event of forum {n}")
    ForumFactory(slug=f"group-of-{n}", kind=Forum.Kind.WORKING_GROUP, parent=forum)
    return forum


def _same_queries(client, url, add_more, django_assert_num_queries):
    client.get(url)  # warm the per-process caches and the minute's counts
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    few = len(few.captured_queries)  # counted now: the next request starts a new log
    add_more()
    client.get(url)  # what the cache keeps (what is coming up), made again after the changes
    with django_assert_num_queries(few):
        response = client.get(url)
    return response


def test_the_home_page_lists_what_is_coming_in_each_forum_in_the_same_queries_for_1_and_5(
    client, django_assert_num_queries
):
    _forum_with_whats_coming(1)

    def more():
        for n in range(2, 6):
            _forum_with_whats_coming(n)

    text = page(_same_queries(client, "/", more, django_assert_num_queries))

    for n in range(1, 6):
        assert f"Forum number {n}" in text
        assert "Workshop: <a" in text and f"Workshop of forum {n}" in text
        assert f"Event of forum {n}" in text


def test_what_is_coming_up_is_kept_and_shows_a_change_on_the_next_visit(client, monkeypatch):
    forum = _forum_with_whats_coming(1)
    Workshop.objects.filter(title="Second workshop of forum 1").update(
        starts_at=F("starts_at") + timedelta(days=1), ends_at=F("ends_at") + timedelta(days=1)
    )
    assert "Workshop of forum 1" in page(client.get("/"))
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "cocreation_workshop" in q["sql"]]

    workshop = Workshop.objects.get(title="Workshop of forum 1", process__forum=forum)
    workshop.title = "Renamed workshop"
    workshop.save()
    text = page(client.get("/"))
    assert "Renamed workshop" in text and "Workshop of forum 1" not in text

    # Once the renamed workshop is over (the second is a day later), what the cache kept
    # leaves it out when read.
    later = workshop.ends_at + timedelta(minutes=1)
    monkeypatch.setattr("forum.forum_views.timezone.now", lambda: later)
    text = page(client.get("/"))
    assert "Renamed workshop" not in text
    assert "Second workshop of forum 1" in text


def test_the_forums_list_costs_the_same_queries_for_1_and_5_forums(
    client, django_assert_num_queries
):
    _forum_with_whats_coming(1)

    def more():
        for n in range(2, 6):
            _forum_with_whats_coming(n)

    text = page(_same_queries(client, "/forums/", more, django_assert_num_queries))

    assert text.count("Second workshop of forum") == 5


def test_a_forums_composition_costs_the_same_for_few_and_many_participants(
    client, athens, django_assert_num_queries
):
    seat_give(member_of(GOV), forum=athens)
    workshop = workshop_in(athens, "Open budgets workshop")

    def more():
        for group in (GOV, NON_GOV) * 3:
            seat_give(member_of(group), forum=athens)
            RegistrationFactory(workshop=workshop, group=group)

    response = _same_queries(client, "/forums/athens/composition/", more, django_assert_num_queries)
    assert sum(g["members_n"] for g in response.context["groups"]) == 13


@pytest.mark.parametrize("address", ["", "workshops/", "plans/"])
def test_a_forums_page_workshops_and_plans_cost_the_same_for_1_and_4(
    client, athens, address, django_assert_num_queries
):
    workshop_in(athens, "Workshop 0")
    ActionPlanFactory(forum=athens)

    def more():
        for n in range(1, 4):
            workshop_in(athens, f"Workshop {n}")
            ActionPlanFactory(forum=athens)

    response = _same_queries(client, f"/forums/athens/{address}", more, django_assert_num_queries)
    assert response.status_code == 200


def test_the_home_page_shows_the_next_three_things_of_a_forum_soonest_first(client, athens):
    soon = timezone.now() + timedelta(days=1)
    for days, title in [(5, "Fifth day"), (2, "Second day"), (9, "Ninth day")]:
        workshop_in(athens, title, starts_at=soon + timedelta(days=days))
    EventFactory(forum=athens, campaign=None, title="Tomorrow's event", starts_at=soon)
    workshop_in(athens, "Already over", starts_at=soon - timedelta(days=10))

    text = page(client.get("/"))

    card = text[text.index(athens.name) :]
    assert card.index("Tomorrow's event") < card.index("Second day") < card.index("Fifth day")
    assert "Ninth day" not in text  # three at most
    assert "Already over" not in text


# --- Creating a forum ------------------------------------------------------------------------


@pytest.fixture
def admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def form_data(**changes):
    data = {
        "name": "Novi Sad Forum",
        "slug": "novi-sad",
        "kind": Forum.Kind.LOCAL,
        "country": "RS",
        "region": "Novi Sad",
        "parent": "",
        "description": "The city's forum.",
        "secretariat": "",
        "government_co_chair": "",
        "non_government_co_chair": "",
        "term_start": "",
    }
    data.update(changes)
    return data


def test_the_site_administrator_creates_a_forum_with_its_secretariat_and_co_chairs(client, admin):
    runner = UserFactory(email="runner@example.org")
    second = UserFactory(email="second@example.org")
    government = member_of(GOV, email="gov@example.org")
    civil = member_of(NON_GOV, email="cso@example.org")
    started = timezone.localdate() - timedelta(days=30)

    assert 'href="/forums/new/"' in client.get("/forums/").content.decode()
    response = client.post(
        "/forums/new/",
        form_data(
            secretariat="Runner@example.org,\nsecond@example.org",
            government_co_chair="gov@example.org",
            non_government_co_chair="cso@example.org",
            term_start=started.isoformat(),
        ),
        follow=True,
    )

    forum = Forum.objects.get(slug="novi-sad")
    assert response.redirect_chain == [("/forums/novi-sad/", 302)]
    assert "Novi Sad Forum is created; its secretariat can now run it." in page(response)
    assert forum.name == "Novi Sad Forum" and forum.region == "Novi Sad"
    assert forum.country.code == "RS" and forum.kind == Forum.Kind.LOCAL
    assert set(ForumRole.objects.filter(forum=forum).values_list("member", "role")) == {
        (runner.pk, "secretariat"),
        (second.pk, "secretariat"),
    }
    assert set(Group.objects.get(name="secretariat").user_set.all()) >= {runner, second}
    seats = {s.member: s for s in ForumSeat.objects.filter(forum=forum)}
    assert set(seats) == {government, civil}
    assert all(s.co_chair and s.term_start == started for s in seats.values())
    assert seats[government].stakeholder_group == GOV
    assert seats[civil].organisation == civil.organisation
    assert "Government: " + government.full_name in page(response)
    entry = AuditEntry.objects.get(action="forum.create")
    assert entry.actor == admin and entry.about_id == str(forum.pk)
    assert "runner@example.org" in entry.data["secretariat"]


def test_a_working_group_of_a_forum_is_created_under_it(client, admin, athens):
    UserFactory(email="runner@example.org")

    client.post(
        "/forums/new/",
        form_data(
            kind=Forum.Kind.WORKING_GROUP, parent=athens.pk, secretariat="runner@example.org"
        ),
    )

    assert Forum.objects.get(slug="novi-sad").parent == athens
    assert "Novi Sad Forum" in page(client.get("/forums/athens/"))


def _refused(client, data, field):
    forums, roles, seats = (m.objects.count() for m in (Forum, ForumRole, ForumSeat))
    response = client.post("/forums/new/", data)
    assert response.status_code == 400
    assert Forum.objects.count() == forums  # nothing saved
    assert ForumRole.objects.count() == roles
    assert ForumSeat.objects.count() == seats
    assert AuditEntry.objects.filter(action="forum.create").count() == 0
    text = page(response)
    assert 'value="Novi Sad Forum"' in text  # the answers are kept
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    # The message stands beside its field.
    assert f'id="id_{field}_error"' in text
    return " ".join(errors[field])


def test_a_short_name_already_taken_is_refused(client, admin, athens):
    UserFactory(email="runner@example.org")

    message = _refused(client, form_data(slug="athens", secretariat="runner@example.org"), "slug")

    assert "Another forum already has this short name" in message


def test_new_is_not_a_forums_short_name(client, admin):
    UserFactory(email="runner@example.org")

    message = _refused(client, form_data(slug="new", secretariat="runner@example.org"), "slug")

    assert "choose another" in message


def test_a_working_group_of_a_working_group_is_refused(client, admin, athens):
    UserFactory(email="runner@example.org")
    group = ForumFactory(slug="athens-budgets", kind=Forum.Kind.WORKING_GROUP, parent=athens)

    message = _refused(
        client,
        form_data(kind=Forum.Kind.WORKING_GROUP, parent=group.pk, secretariat="runner@example.org"),
        "parent",
    )

    assert "A working group cannot have working groups of its own" in message


def test_a_working_group_without_its_forum_is_refused(client, admin):
    UserFactory(email="runner@example.org")

    message = _refused(
        client,
        form_data(kind=Forum.Kind.WORKING_GROUP, secretariat="runner@example.org"),
        "parent",
    )

    assert "Choose the forum this working group belongs to." in message


def test_a_co_chair_from_the_other_stakeholder_group_is_refused(client, admin):
    UserFactory(email="runner@example.org")
    member_of(NON_GOV, email="cso@example.org")

    message = _refused(
        client,
        form_data(secretariat="runner@example.org", government_co_chair="cso@example.org"),
        "government_co_chair",
    )

    assert "is in the other stakeholder group" in message


@pytest.mark.parametrize("field", ["secretariat", "government_co_chair"])
def test_an_unknown_e_mail_address_is_refused(client, admin, field):
    UserFactory(email="runner@example.org")
    data = form_data(secretariat="runner@example.org")
    data[field] = (data[field] + " nobody@example.org").strip()

    message = _refused(client, data, field)

    assert "No member has this e-mail address: nobody@example.org." in message


def test_a_secretariat_not_yet_approved_is_refused(client, admin):
    UserFactory(email="waiting@example.org", membership_status="pending")

    message = _refused(client, form_data(secretariat="waiting@example.org"), "secretariat")

    assert "waiting@example.org is not an approved member yet." in message


def test_only_the_site_administrator_may_create_a_forum(client):
    assert client.get("/forums/new/").status_code == 302  # to log in first
    client.force_login(UserFactory(roles=["secretariat"]))

    assert client.get("/forums/new/").status_code == 403
    assert client.post("/forums/new/", form_data(secretariat="x@example.org")).status_code == 403
    assert not Forum.objects.filter(slug="novi-sad").exists()
    assert "Create a forum" not in client.get("/forums/").content.decode()


def test_the_forms_fields_have_their_labels(client, admin):
    text = page(client.get("/forums/new/"))

    for label in [
        "Name",
        "Short name in addresses",
        "Kind",
        "Country",
        "City or region",
        "Part of",
        "Secretariat",
        "Government co-chair",
        "Non-government co-chair",
        "The co-chairs' term starts",
    ]:
        assert re.search(rf"<label[^>]*>{re.escape(label)}", text), label


def test_the_next_page_of_a_filtered_list_keeps_the_forum_filter(client):
    city = ForumFactory(slug="pages-city")
    process = CoCreationProcessFactory(forum=city)
    for _ in range(21):  # one more than a page
        WorkshopFactory(process=process)

    page = client.get("/workshops/?forum=pages-city").content.decode()

    assert 'href="?forum=pages-city&amp;page=2"' in page
