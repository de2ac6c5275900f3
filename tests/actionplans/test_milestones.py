"""Milestones: progress reported by the lead agency, and the due and overdue notices."""

from datetime import date, timedelta

import pytest

from actionplans import permissions, services
from actionplans.models import Milestone
from core.notifications.models import Notification
from members.roles import SECRETARIAT
from tests.factories import CommitmentFactory, ForumFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def included():
    return CommitmentFactory(status="included")


def test_lead_agency_members_report_progress(included):
    official = UserFactory(organisation=included.lead_agency)
    milestone = MilestoneFactory(commitment=included)
    services.milestone_progress_update(
        milestone=milestone,
        data={
            "completion": "complete",
            "evidence_url": "https://data.example.org/set",
            "progress_note": "Published.",
        },
        by=official,
    )
    milestone.refresh_from_db()
    assert milestone.completion == "complete"
    assert milestone.completed_on is not None
    assert milestone.updated_by == official


def test_others_cannot_report_progress(included):
    milestone = MilestoneFactory(commitment=included)
    with pytest.raises(services.ActionPlanError, match="lead agency"):
        services.milestone_progress_update(
            milestone=milestone, data={"completion": "complete"}, by=UserFactory()
        )


def test_the_responsible_organisation_also_reports(included):
    milestone = MilestoneFactory(commitment=included)
    partner = UserFactory()
    milestone.responsible = partner.organisation
    milestone.save()
    assert permissions.can_update_milestone(partner, milestone)


def test_reopening_clears_the_completion_date(included):
    official = UserFactory(organisation=included.lead_agency)
    milestone = MilestoneFactory(commitment=included, completion="complete")
    milestone.completed_on = date(2027, 1, 1)
    milestone.save()
    services.milestone_progress_update(
        milestone=milestone, data={"completion": "substantial"}, by=official
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_progress_from_the_page(client, included):
    official = UserFactory(organisation=included.lead_agency)
    milestone = MilestoneFactory(commitment=included)
    client.force_login(official)
    url = included.get_absolute_url() + f"milestones/{milestone.pk}/progress/"
    response = client.post(
        url, {"completion": "limited", "progress_note": "Started.", "evidence_url": "nonsense"}
    )
    assert response.status_code == 200  # redisplayed with the error
    assert "Enter a valid URL." in response.content.decode()
    response = client.post(url, {"completion": "limited", "progress_note": "Started."}, follow=True)
    assert "The progress is recorded." in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).completion == "limited"


def test_milestones_are_planned_only_in_drafts(draft, drafters, included):
    milestone = services.milestone_add(
        commitment=draft, data={"activity": "Consult the users"}, by=drafters[0]
    )
    assert list(draft.milestones.all())[-1] == milestone  # added at the end
    with pytest.raises(services.ActionPlanError, match="draft"):
        services.milestone_add(
            commitment=included, data={"activity": "Late addition"}, by=UserFactory()
        )


def test_due_overdue_and_escalation_notices_go_once():
    today = date(2027, 3, 10)
    commitment = CommitmentFactory(status="included")
    official = UserFactory(organisation=commitment.lead_agency)
    secretary = UserFactory(roles=[SECRETARIAT])
    UserFactory(roles=[SECRETARIAT], roles__forum=ForumFactory())  # another forum's: not told
    MilestoneFactory(commitment=commitment, end_date=today + timedelta(days=5))
    MilestoneFactory(commitment=commitment, end_date=today - timedelta(days=3))
    MilestoneFactory(commitment=commitment, end_date=today - timedelta(days=30))
    MilestoneFactory(commitment=commitment, end_date=today + timedelta(days=60))  # not yet
    MilestoneFactory(
        commitment=commitment, end_date=today - timedelta(days=3), completion="complete"
    )
    assert services.milestones_notify_due(today=today) == 4
    assert services.milestones_notify_due(today=today) == 0
    kinds = sorted(
        Notification.objects.values_list("kind", "recipient").order_by("kind", "recipient")
    )
    assert kinds == sorted(
        [
            ("milestone_due", official.pk),
            ("milestone_overdue", official.pk),
            ("milestone_overdue", official.pk),
            ("milestone_overdue_escalation", secretary.pk),
        ]
    )


def test_draft_commitments_get_no_notices():
    commitment = CommitmentFactory(status="draft")
    UserFactory(organisation=commitment.lead_agency)
    MilestoneFactory(commitment=commitment, end_date=date(2020, 1, 1))
    assert services.milestones_notify_due(today=date(2027, 1, 1)) == 0
