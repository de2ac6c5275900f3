from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cocreation.models import Registration, Workshop
from members.models import Forum, ForumRole, ForumSeat, Organisation, Sector, StakeholderGroup, User

pytestmark = pytest.mark.django_db


def run_demo_data(*args) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and "@" in parts[0]:
            rows.append((parts[0], parts[1], " ".join(parts[2:])))
    return rows


def test_demo_data_fills_a_realistic_forum():
    run_demo_data()

    assert Organisation.objects.count() >= 30
    assert Organisation.objects.values("country").distinct().count() >= 5
    for group in StakeholderGroup.values:
        assert Organisation.objects.filter(sector__stakeholder_group=group).exists()
    assert Sector.objects.filter(organisations__isnull=True).count() <= 1


def test_every_printed_login_works_and_has_its_role(client):
    logins = printed_logins(run_demo_data())

    roles = {role.split(" of ")[0] for _email, _password, role in logins}
    assert {"member", "facilitator", "secretariat", "co-chair (government)"} <= roles
    forums_named = set()
    for email, password, role in logins:
        assert client.login(email=email, password=password), email
        user = User.objects.get(email=email)
        held, _of, forum = role.partition(" of ")
        if role == "pending member":
            assert user.membership_status == "pending"
        elif held in ("secretariat", "facilitator"):
            assert ForumRole.objects.filter(member=user, role=held, forum__name=forum).exists()
            forums_named.add(forum)
        elif held.startswith("co-chair"):
            group = "government" if "(government)" in held else "non_government"
            seat = ForumSeat.objects.get(member=user, forum__name=forum, co_chair=True)
            assert seat.stakeholder_group == group
            forums_named.add(forum)
    # The printed logins include the secretariat of a second forum (a city's).
    assert len(forums_named) == 2


def test_demo_data_is_idempotent_and_reset_rebuilds_it():
    run_demo_data()
    counts = (User.objects.count(), Organisation.objects.count())

    run_demo_data()
    assert (User.objects.count(), Organisation.objects.count()) == counts

    User.objects.filter(email__startswith="member@").update(full_name="Changed by hand")
    run_demo_data("--reset")
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert User.objects.get(email__startswith="member@").full_name != "Changed by hand"


def test_demo_members_find_a_notification_but_no_demo_mail_is_sent(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_demo_data()
        run_demo_data()

    assert callbacks  # the delivery sweep was queued and ran, and found nothing to send

    member = User.objects.get(email__startswith="member@")
    assert member.notifications.filter(kind="membership_approved").count() == 1
    assert mail.outbox == []
    client.force_login(member)
    client.cookies["django_language"] = "en"  # the demo member prefers Ukrainian
    unread = member.notifications.count()
    assert f"{unread} unread" in client.get("/").content.decode()


def test_demo_data_holds_a_process_with_four_workshops_past_and_upcoming():
    run_demo_data()

    workshops = Workshop.objects.filter(process__slug="demo-2nd-national-action-plan")
    assert workshops.count() == 4
    assert workshops.filter(starts_at__lt=timezone.now()).count() == 2
    assert workshops.filter(starts_at__gt=timezone.now()).count() == 2
    for workshop in workshops:
        groups = set(
            workshop.registrations.filter(status=Registration.Status.CONFIRMED).values_list(
                "stakeholder_group", flat=True
            )
        )
        assert groups == {"government", "non_government"}, workshop


def test_demo_data_has_approved_members_of_every_sector_in_five_countries():
    run_demo_data()

    approved = User.objects.filter(membership_status="approved", organisation__isnull=False)
    for sector in Sector.objects.all():
        assert approved.filter(organisation__sector=sector).exists(), sector
    assert approved.values("organisation__country").distinct().count() >= 5


def test_the_demo_holds_a_national_forum_a_city_forum_and_a_working_group():
    run_demo_data()

    national, city, group = (
        Forum.objects.get(slug=slug) for slug in ("national", "pancevo", "open-data-working-group")
    )
    assert national == Forum.objects.default()
    assert city.kind == "local" and city.parent is None
    assert group.kind == "working_group" and group.parent == national
    for forum in (national, city, group):
        co_chairs = forum.seats.filter(co_chair=True, term_end__isnull=True)
        assert sorted(co_chairs.values_list("stakeholder_group", flat=True)) == [
            "government",
            "non_government",
        ], forum
    # Each forum's body is its own: the city's co-chairs sit on no other forum's body.
    city_chairs = set(city.seats.filter(co_chair=True).values_list("member", flat=True))
    assert not national.seats.filter(member__in=city_chairs).exists()
    # The city has its own secretariat, workshop and local plan in Serbian (Cyrillic).
    assert city.roles.filter(role="secretariat", member__email__startswith="pancevo.").exists()
    assert not national.roles.filter(member__email__startswith="pancevo.").exists()
    plan = city.action_plans.get()
    assert plan.language == "sr" and "Панчева" in plan.title
    assert plan.commitments.count() == 2
    assert city.processes.get().workshops.filter(language="sr").exists()
    assert national.action_plans.count() == 2
