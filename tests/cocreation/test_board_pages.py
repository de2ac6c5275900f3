"""The contribution board in pages of 50, newest first, and a contribution's lasting link
that finds its page."""

import pytest
from django.urls import reverse

from cocreation.selectors import BOARD_PAGE_SIZE
from tests.factories import UserFactory, WorkshopFactory
from tests.factories.health import ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded():
    workshop = WorkshopFactory(title="Open budgets")
    oldest = ContributionFactory(workshop=workshop, title="The very first idea")
    ContributionFactory.create_batch(BOARD_PAGE_SIZE, workshop=workshop)
    return workshop, oldest


def test_a_crowded_board_shows_the_newest_fifty_and_a_next_page(client, crowded):
    workshop, oldest = crowded
    board = reverse("cocreation:contribution_board", args=[workshop.pk])

    first = client.get(board).content.decode()
    second = client.get(board, {"page": 2}).content.decode()

    assert first.count('class="contribution contribution--') == BOARD_PAGE_SIZE
    assert "Contributions 1 to 50 of 51, newest first." in first
    assert 'href="?page=2">Next page' in first
    assert oldest.title not in first
    assert oldest.title in second
    assert "Page 2 of 2" in second


def test_a_contributions_link_opens_the_page_that_shows_it(client, crowded):
    workshop, oldest = crowded
    newest = workshop.contributions.order_by("-created_at", "-id").first()
    board = reverse("cocreation:contribution_board", args=[workshop.pk])

    assert client.get(oldest.get_absolute_url())["Location"] == f"{board}?page=2#c{oldest.pk}"
    assert client.get(newest.get_absolute_url())["Location"] == f"{board}#c{newest.pk}"


def test_supporting_a_contribution_on_page_two_comes_back_to_page_two(client, crowded):
    workshop, oldest = crowded
    client.force_login(UserFactory())

    response = client.post(
        reverse("cocreation:contribution_action", args=[workshop.pk, oldest.pk, "support"])
    )

    board = reverse("cocreation:contribution_board", args=[workshop.pk])
    assert response["Location"] == f"{board}?page=2#c{oldest.pk}"
    assert oldest.supports.count() == 1


def test_a_page_past_the_end_shows_the_last_page(client, crowded):
    workshop, oldest = crowded
    board = reverse("cocreation:contribution_board", args=[workshop.pk])

    assert oldest.title in client.get(board, {"page": 99}).content.decode()
