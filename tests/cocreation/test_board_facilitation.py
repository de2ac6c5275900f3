"""The facilitators' board: its refresh keeps what is being typed, duplicates are merged from
the board, and the author of a hidden contribution is told why."""

import re

import pytest
from django.urls import reverse

from cocreation import services
from cocreation.models import Contribution
from core.notifications.models import Notification
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    workshop = WorkshopFactory(title="Open data")
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    participant = RegistrationFactory(workshop=workshop, group="non_government").member
    original = services.contribution_post(
        workshop=workshop, author=participant, kind="idea", title="Open budgets", text="As CSV."
    )
    services.contribution_publish(contribution=original, by=facilitator)
    duplicate = services.contribution_post(
        workshop=workshop, author=participant, kind="idea", title="Budgets online", text="Too."
    )
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "participant": participant,
        "original": original,
        "duplicate": duplicate,
    }


def board_url(workshop):
    return reverse("cocreation:contribution_board", args=[workshop.pk])


def action(client, contribution, name, **data):
    url = reverse(
        "cocreation:contribution_action", args=[contribution.workshop_id, contribution.pk, name]
    )
    return client.post(url, data)


# 1. The live refresh never wipes a form being typed


def test_the_board_refreshes_only_the_list_never_the_posting_form(client, board):
    client.force_login(board["facilitator"])

    page = client.get(board_url(board["workshop"])).content.decode()

    poller = re.search(r'<div id="contribution-list"[^>]*>', page).group(0)
    assert "data-hx-get" in poller
    assert 'data-hx-swap="innerHTML"' in poller
    assert "data-hx-target" not in poller  # it replaces its own inside, nothing around it
    # the form to post a contribution is outside what is refreshed
    assert page.index('id="post-heading"') < page.index('id="contribution-list"')


def test_the_refreshed_list_keeps_every_open_form_as_it_is(client, board):
    client.force_login(board["facilitator"])

    fragment = client.get(board_url(board["workshop"]), headers={"HX-Request": "true"})

    html = fragment.content.decode()
    assert "<html" not in html and 'id="post-heading"' not in html  # the list alone
    forms = html.count("<form ")
    assert forms > 0
    # every form of the list sits in a container htmx keeps untouched (hx-preserve, stable id),
    # so a reasoned response being typed, or an open <details>, survives the refresh
    containers = re.findall(r'<details[^>]*data-hx-preserve="true"[^>]*>', html)
    for pk in (board["original"].pk, board["duplicate"].pk):
        assert f'<details class="moderation" id="moderate-{pk}" data-hx-preserve="true">' in html
    assert any(f'id="comment-box-{board["original"].pk}"' in c for c in containers)
    # the reasoned response's text box is inside its contribution's preserved container
    pk = board["original"].pk
    kept = html.index(f'id="moderate-{pk}"')
    assert kept < html.index(f'id="explanation-{pk}"') < html.index("</li>", kept)


# 2. Merging a duplicate from the board


def test_moderators_see_a_merge_control_listing_the_published_contributions(client, board):
    client.force_login(board["facilitator"])

    html = client.get(board_url(board["workshop"])).content.decode()

    assert "Merge into…" in html
    select = re.search(
        rf'<select id="merge-{board["duplicate"].pk}"[^>]*>(.*?)</select>', html, re.S
    ).group(1)
    assert f'<option value="{board["original"].pk}">Open budgets</option>' in select
    assert "Yes, merge" in html


def test_participants_see_no_merge_control(client, board):
    client.force_login(board["participant"])

    assert "Merge into…" not in client.get(board_url(board["workshop"])).content.decode()


def test_merging_from_the_board_points_to_the_original_and_says_so(client, board):
    client.force_login(board["facilitator"])

    response = action(client, board["duplicate"], "merge", into=board["original"].pk)

    duplicate = Contribution.objects.get(pk=board["duplicate"].pk)
    assert duplicate.merged_into == board["original"]
    assert duplicate.response.disposition == "merged"
    page = client.get(response["Location"]).content.decode()
    assert "Merged into “Open budgets”; its author has been told." in page
    assert "Same as: Open budgets" in page


@pytest.mark.parametrize("into", ["", "abc", "999999", "self"])
def test_a_bad_merge_target_is_refused_with_a_message(client, board, into):
    client.force_login(board["facilitator"])
    if into == "self":
        into = board["duplicate"].pk

    response = action(client, board["duplicate"], "merge", into=into)

    assert response.status_code == 302
    assert Contribution.objects.get(pk=board["duplicate"].pk).merged_into is None
    page = client.get(response["Location"]).content.decode()
    assert "Choose the contribution it duplicates." in page


def test_members_cannot_merge(client, board):
    client.force_login(board["participant"])

    response = action(client, board["duplicate"], "merge", into=board["original"].pk)

    assert response.status_code == 403
    assert Contribution.objects.get(pk=board["duplicate"].pk).merged_into is None


def test_the_board_with_merge_controls_costs_the_same_queries_for_few_and_many(
    client, board, django_assert_max_num_queries
):
    client.force_login(board["facilitator"])
    with django_assert_max_num_queries(40) as few:
        client.get(board_url(board["workshop"]))
    for n in range(10):
        c = services.contribution_post(
            workshop=board["workshop"],
            author=board["participant"],
            kind="idea",
            title=f"Idea {n}",
            text="…",
        )
        services.contribution_publish(contribution=c, by=board["facilitator"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(board_url(board["workshop"]))


# 3. The author of a hidden contribution is told why, in their language


def test_hiding_tells_the_author_why_in_their_language(client, board):
    board["participant"].preferred_language = "fr"
    board["participant"].save()
    client.force_login(board["facilitator"])

    action(client, board["original"], "hide", reason="Attaque personnelle")

    notice = Notification.objects.get(recipient=board["participant"], kind="contribution_hidden")
    assert notice.language == "fr"
    assert "Attaque personnelle" in notice.body
    assert "Open budgets" in notice.body


def test_a_refused_hide_tells_nobody(client, board):
    client.force_login(board["facilitator"])

    action(client, board["original"], "hide", reason="  ")

    assert not Notification.objects.filter(kind="contribution_hidden").exists()


def test_hiding_a_former_members_contribution_tells_nobody(board):
    board["original"].author = None
    board["original"].save()

    services.contribution_hide(
        contribution=board["original"], reason="Spam", by=UserFactory(roles=["secretariat"])
    )

    assert not Notification.objects.filter(kind="contribution_hidden").exists()
