"""Upgrading an installation made before contributions, supports, comments, workshop places
and milestone progress reports kept their organisation: each takes its member's
organisation (and group) of the day of the upgrade."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("members", "0009_user_membership_reply"),
    ("cocreation", "0011_minutes_source"),
    ("actionplans", "0003_forum_required"),
]
AFTER = [
    ("members", "0010_organisation_change"),
    ("cocreation", "0013_support_comment_organisation"),
    ("actionplans", "0004_milestone_progress_organisation"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest(transactional_db):
    """The latest schema again after the test, for the tests that follow in this process
    (left at AFTER, a later migration's columns were missing: an actionplans test failed)."""
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def test_the_snapshots_are_backfilled_from_the_members_organisation_today(back_to_latest):
    apps = _migrate(BEFORE)
    Sector = apps.get_model("members", "Sector")  # noqa: N806 - a model class
    Organisation = apps.get_model("members", "Organisation")  # noqa: N806
    User = apps.get_model("members", "User")  # noqa: N806
    Forum = apps.get_model("members", "Forum")  # noqa: N806
    sector = Sector.objects.create(name="NGOs", slug="old-ngos", stakeholder_group="non_government")
    ngo = Organisation.objects.create(name="Old NGO", sector=sector, country="GR")
    member = User.objects.create(email="old@example.org", organisation=ngo)
    nobody = User.objects.create(email="none@example.org")
    forum = Forum.objects.create(name="Forum", slug="old-forum", kind="national")
    process = apps.get_model("cocreation", "CoCreationProcess").objects.create(
        forum=forum, title="Co-creation", slug="old-process"
    )
    now = timezone.now()
    workshop = apps.get_model("cocreation", "Workshop").objects.create(
        process=process, title="Old workshop", starts_at=now, ends_at=now + timedelta(hours=2)
    )
    Contribution = apps.get_model("cocreation", "Contribution")  # noqa: N806
    idea = Contribution.objects.create(
        workshop=workshop, author=member, kind="idea", title="A", text="-"
    )
    apps.get_model("cocreation", "Support").objects.create(contribution=idea, member=member)
    apps.get_model("cocreation", "Comment").objects.create(
        contribution=idea, author=member, text="Yes"
    )
    Contribution.objects.create(workshop=workshop, author=nobody, kind="idea", title="B", text="-")
    Contribution.objects.create(workshop=workshop, author=None, kind="idea", title="C", text="-")
    apps.get_model("cocreation", "Registration").objects.create(
        workshop=workshop, member=member, stakeholder_group="non_government", status="confirmed"
    )
    plan = apps.get_model("actionplans", "ActionPlan").objects.create(
        forum=forum,
        title="Plan",
        slug="old-plan",
        period_start=now.date(),
        period_end=now.date() + timedelta(days=700),
    )
    commitment = apps.get_model("actionplans", "Commitment").objects.create(
        plan=plan, number=1, title="Open data"
    )
    Milestone = apps.get_model("actionplans", "Milestone")  # noqa: N806
    Milestone.objects.create(
        commitment=commitment, activity="Reported", completion="limited", updated_by=member
    )
    Milestone.objects.create(commitment=commitment, activity="Planned only", updated_by=member)

    apps = _migrate(AFTER)

    contributions = {
        c.title: (c.organisation_id, c.stakeholder_group)
        for c in apps.get_model("cocreation", "Contribution").objects.all()
    }
    assert contributions == {"A": (ngo.pk, "non_government"), "B": (None, ""), "C": (None, "")}
    assert apps.get_model("cocreation", "Support").objects.get().organisation_id == ngo.pk
    assert apps.get_model("cocreation", "Comment").objects.get().organisation_id == ngo.pk
    place = apps.get_model("cocreation", "Registration").objects.get()
    assert place.organisation_id == ngo.pk
    milestones = {
        m.activity: (m.progress_organisation_id, m.progress_reported_at is not None)
        for m in apps.get_model("actionplans", "Milestone").objects.all()
    }
    assert milestones == {"Reported": (ngo.pk, True), "Planned only": (None, False)}
