"""Upgrading an installation made before there were several forums: everything it held moves
into one default forum, with no loss, and the secretariat and facilitators keep their roles
there."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("members", "0006_organisation_logo"),
    ("cocreation", "0007_contribution_public_newest_index"),
    ("events", "0003_my_events_calendar_feed"),
    ("actionplans", "0001_initial"),
    ("standards", "0001_initial"),
]
AFTER = [
    ("members", "0008_forum_required"),
    ("cocreation", "0009_forum_required"),
    ("events", "0005_forum_required"),
    ("actionplans", "0003_forum_required"),
    ("standards", "0003_forum_required"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_installation(transactional_db):
    """A one-forum installation as it was: a body with two co-chairs, a process with a
    workshop, a campaign with an event, a plan, thresholds, a secretariat and a facilitator."""
    apps = _migrate(BEFORE)
    Group = apps.get_model("auth", "Group")  # noqa: N806 - a model class
    Sector = apps.get_model("members", "Sector")  # noqa: N806
    Organisation = apps.get_model("members", "Organisation")  # noqa: N806
    User = apps.get_model("members", "User")  # noqa: N806
    now = timezone.now()
    people = []
    for group in ("government", "non_government"):
        sector = Sector.objects.create(name=group, slug=f"old-{group}", stakeholder_group=group)
        organisation = Organisation.objects.create(name=group, sector=sector, country="GR")
        people.append(User.objects.create(email=f"{group}@example.org", organisation=organisation))
        apps.get_model("members", "ForumSeat").objects.create(
            member=people[-1],
            organisation=organisation,
            stakeholder_group=group,
            term_start=date(2026, 1, 1),
            co_chair=True,
        )
    Group.objects.get_or_create(name="secretariat")[0].user_set.add(people[0])
    Group.objects.get_or_create(name="facilitator")[0].user_set.add(people[1])
    process = apps.get_model("cocreation", "CoCreationProcess").objects.create(
        title="Co-creation", slug="old-process"
    )
    apps.get_model("cocreation", "Workshop").objects.create(
        process=process, title="Old workshop", starts_at=now, ends_at=now + timedelta(hours=2)
    )
    campaign = apps.get_model("events", "Campaign").objects.create(name="Week", slug="old-week")
    apps.get_model("events", "Event").objects.create(
        campaign=campaign,
        title="Old event",
        description="-",
        format="seminar",
        attendance="online",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )
    apps.get_model("events", "Event").objects.create(
        title="Event without a campaign",
        description="-",
        format="seminar",
        attendance="online",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )
    apps.get_model("actionplans", "ActionPlan").objects.create(
        title="5th plan",
        slug="old-plan",
        country="GR",
        number=5,
        period_start=date(2024, 1, 1),
        period_end=date(2025, 12, 31),
    )
    apps.get_model("standards", "HealthThresholds").objects.create(pk=1, notice_days=21)
    yield
    _migrate(_latest_nodes())  # the latest state again, for the tests that follow


def _latest_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_everything_moves_into_one_default_forum_and_roles_are_kept(old_installation):
    apps = _migrate(AFTER)
    Forum = apps.get_model("members", "Forum")  # noqa: N806 - a model class
    forum = Forum.objects.get()  # exactly one forum, made by the migration
    assert forum.kind == "national"
    for app, model, expected in [
        ("members", "ForumSeat", 2),
        ("cocreation", "CoCreationProcess", 1),
        ("events", "Campaign", 1),
        ("events", "Event", 2),
        ("actionplans", "ActionPlan", 1),
        ("standards", "HealthThresholds", 1),
    ]:
        records = apps.get_model(app, model).objects
        assert records.count() == expected, model  # nothing lost
        assert records.filter(forum=forum).count() == expected, model  # all in the forum
    assert apps.get_model("standards", "HealthThresholds").objects.get().notice_days == 21
    roles = set(apps.get_model("members", "ForumRole").objects.values_list("member__email", "role"))
    assert roles == {
        ("government@example.org", "secretariat"),
        ("non_government@example.org", "facilitator"),
    }
    co_chairs = apps.get_model("members", "ForumSeat").objects.filter(forum=forum, co_chair=True)
    assert co_chairs.count() == 2
