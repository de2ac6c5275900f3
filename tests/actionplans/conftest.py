from datetime import date

import pytest

from members.models import ForumSeat, StakeholderGroup
from members.roles import SECRETARIAT
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    UserFactory,
    default_forum,
    member_of,
)


@pytest.fixture(autouse=True)
def _builds_at_once(settings):
    """Without a broker a PDF is built in a background thread (core.queue.background_run);
    here it is built at once, in the test's own transaction, unless a test asks for the
    thread (test_export_progress.py)."""
    settings.BACKGROUND_THREADS = False


def co_chair(group):
    member = member_of(group)
    ForumSeat.objects.create(
        forum=default_forum(),
        member=member,
        organisation=member.organisation,
        stakeholder_group=group,
        term_start=date(2026, 1, 1),
        co_chair=True,
    )
    return member


@pytest.fixture
def gov_chair(db):
    return co_chair(StakeholderGroup.GOVERNMENT)


@pytest.fixture
def ngo_chair(db):
    return co_chair(StakeholderGroup.NON_GOVERNMENT)


@pytest.fixture
def secretariat(db):
    return UserFactory(roles=[SECRETARIAT])


@pytest.fixture
def drafters(db):
    return [
        member_of(StakeholderGroup.GOVERNMENT),
        member_of(StakeholderGroup.NON_GOVERNMENT),
    ]


@pytest.fixture
def draft(drafters):
    commitment = CommitmentFactory(co_drafters=drafters)
    MilestoneFactory(commitment=commitment)
    return commitment


@pytest.fixture
def consultation_plan(db):
    return ActionPlanFactory(in_consultation=True)
