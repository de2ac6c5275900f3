import re

import pytest
from django.urls import reverse

from actionplans import notices as actionplans_notices
from cocreation import notices as cocreation_notices
from core.notifications.kinds import NoticeKind, Rhythm, optional_kinds
from core.notifications.models import NotificationRhythm
from core.notifications.services import NotificationItem, notifications_send_bulk
from events import notices as events_notices
from members import notices as members_notices
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["notifications:list", "notifications:preferences"]


def radio(html: str, kind: NoticeKind, rhythm: str) -> str:
    match = re.search(rf'<input[^>]*name="{kind.value}"[^>]*value="{rhythm}"[^>]*>', html)
    assert match, f"no radio button {rhythm} for {kind}"
    return match.group(0)


def rhythms(**chosen) -> dict[str, str]:
    """What the preferences form posts: every kind at its default but those `chosen`."""
    return {kind.value: chosen.get(kind.value, kind.default_rhythm) for kind in optional_kinds()}


def notify(member, count=1, kind=events_notices.EVENT_APPROVED):
    items = [NotificationItem(member, OrganisationFactory()) for _ in range(count)]
    notifications_send_bulk(kind=kind, items=items)
    return list(member.notifications.all())


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_my_notifications_and_the_unread_count(client):
    member = UserFactory()
    notify(member, 2)
    notify(UserFactory())  # someone else's
    client.force_login(member)

    html = client.get(reverse("notifications:list")).content.decode()

    assert "You have 2 unread notifications." in html
    assert html.count('class="notification notification--unread"') == 2
    assert '<span class="badge">2 unread</span>' in html  # in the header, on every page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    member = UserFactory()
    organisation = OrganisationFactory()
    notifications_send_bulk(
        kind=events_notices.EVENT_APPROVED,
        items=[NotificationItem(member, organisation, context={"url": "/events/"})],
    )
    notification = member.notifications.get()
    client.force_login(member)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == "/events/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_someone_elses_notification(client):
    (notification,) = notify(UserFactory())
    client.force_login(UserFactory())

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404


def test_mark_all_as_read_says_how_many(client):
    member = UserFactory()
    notify(member, 3)
    client.force_login(member)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "Marked 3 notifications as read." in response.content.decode()
    assert not member.notifications.filter(read_at__isnull=True).exists()


def test_the_list_costs_the_same_queries_for_few_and_many(client, django_assert_max_num_queries):
    member = UserFactory()
    client.force_login(member)
    notify(member, 1)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("notifications:list"))
    notify(member, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))


def test_a_member_chooses_a_rhythm_per_kind(client):
    member = UserFactory()
    client.force_login(member)
    reminder, closing = events_notices.EVENT_REMINDER, actionplans_notices.CONSULTATION_CLOSING

    response = client.post(
        reverse("notifications:preferences"),
        rhythms(**{reminder.value: Rhythm.OFF, closing.value: Rhythm.WEEKLY}),
        follow=True,
    )

    assert "Your e-mail preferences are saved." in response.content.decode()
    assert dict(NotificationRhythm.objects.filter(user=member).values_list("kind", "rhythm")) == {
        reminder.value: Rhythm.OFF,
        closing.value: Rhythm.WEEKLY,
    }
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "checked" in radio(html, reminder, Rhythm.OFF)
    assert "checked" in radio(html, closing, Rhythm.WEEKLY)
    assert "checked" in radio(html, cocreation_notices.WORKSHOP_ANNOUNCED, Rhythm.AT_ONCE)

    client.post(reverse("notifications:preferences"), rhythms())
    assert not NotificationRhythm.objects.filter(user=member).exists()


def test_a_busy_kind_defaults_to_the_daily_digest(client):
    client.force_login(UserFactory())

    html = client.get(reverse("notifications:preferences")).content.decode()

    assert "checked" in radio(html, actionplans_notices.COMMITMENT_COMMENTED, Rhythm.DAILY)


def test_a_choice_not_offered_redisplays_the_form(client):
    member = UserFactory()
    client.force_login(member)
    reminder = events_notices.EVENT_REMINDER

    response = client.post(
        reverse("notifications:preferences"), rhythms(**{reminder.value: "hourly"})
    )

    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not NotificationRhythm.objects.filter(user=member).exists()


def test_essential_kinds_cannot_be_turned_off(client):
    member = UserFactory()
    client.force_login(member)
    essential = members_notices.MEMBERSHIP_APPROVED.value

    client.post(reverse("notifications:preferences"), {**rhythms(), essential: Rhythm.OFF})

    assert not NotificationRhythm.objects.filter(user=member).exists()


def test_the_preferences_page_lists_what_is_always_sent(client):
    client.force_login(UserFactory())

    html = client.get(reverse("notifications:preferences")).content.decode()

    assert "Always sent at once" in html
    assert f"<li>{cocreation_notices.WORKSHOP_RESCHEDULED.label}</li>" in html
    assert f'name="{cocreation_notices.WORKSHOP_RESCHEDULED.value}"' not in html
