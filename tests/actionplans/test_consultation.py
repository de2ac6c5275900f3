"""Public consultation: comments while it is open, each with a reasoned response."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from actionplans import services
from actionplans.models import ConsultationComment
from core.notifications.models import Notification
from tests.factories import ActionPlanFactory, CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulted(consultation_plan, drafters):
    return CommitmentFactory(plan=consultation_plan, status="forum_review", co_drafters=drafters)


def test_anyone_logged_in_comments_and_co_drafters_are_told(consulted, drafters):
    pending = UserFactory(membership_status="pending")  # not yet approved: may still comment
    comment = services.consultation_comment_post(
        commitment=consulted, author=pending, text="Add a training milestone."
    )
    assert comment.commitment == consulted
    told = set(
        Notification.objects.filter(kind="commitment_commented").values_list("recipient", flat=True)
    )
    assert told == {d.pk for d in drafters}


def test_no_comments_outside_the_consultation(drafters):
    author = UserFactory()
    closed = ActionPlanFactory(
        status="consultation",
        consultation_opens_at=timezone.now() - timedelta(days=20),
        consultation_closes_at=timezone.now() - timedelta(minutes=1),
    )
    for plan in (closed, ActionPlanFactory(status="drafting")):
        commitment = CommitmentFactory(plan=plan, status="forum_review")
        with pytest.raises(services.ActionPlanError, match="only during"):
            services.consultation_comment_post(commitment=commitment, author=author, text="Hi")


def test_drafts_take_no_comments(consultation_plan):
    draft = CommitmentFactory(plan=consultation_plan, status="draft")
    with pytest.raises(services.ActionPlanError, match="not open"):
        services.consultation_comment_post(commitment=draft, author=UserFactory(), text="Hi")


def test_the_reasoned_response_reaches_the_author(
    consulted, drafters, django_capture_on_commit_callbacks
):
    author = UserFactory(preferred_language="en")
    comment = services.consultation_comment_post(
        commitment=consulted, author=author, text="The deadline is too short."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_comment_respond(
            comment=comment,
            disposition=ConsultationComment.Disposition.TAKEN,
            response="The deadline moves to June.",
            by=drafters[1],
        )
    comment.refresh_from_db()
    assert (comment.disposition, comment.responded_by) == ("taken", drafters[1])
    message = next(m for m in mail.outbox if m.to == [author.email])
    assert "Taken into the commitment" in message.body
    assert "The deadline moves to June." in message.body


def test_only_co_drafters_and_secretariat_respond(consulted, secretariat):
    comment = services.consultation_comment_post(
        commitment=consulted, author=UserFactory(), text="Hi"
    )
    with pytest.raises(services.ActionPlanError, match="respond"):
        services.consultation_comment_respond(
            comment=comment, disposition="noted", response="Thanks", by=UserFactory()
        )
    with pytest.raises(services.ActionPlanError, match="explanation"):
        services.consultation_comment_respond(
            comment=comment, disposition="noted", response="  ", by=secretariat
        )
    services.consultation_comment_respond(
        comment=comment, disposition="noted", response="Thanks", by=secretariat
    )


def test_commenting_on_the_page(client, consulted):
    author = UserFactory()
    client.force_login(author)
    url = consulted.get_absolute_url()
    response = client.post(url + "comments/", {"text": "Please publish the raw data."}, follow=True)
    page = response.content.decode()
    assert "Your comment is published" in page
    assert "Please publish the raw data." in page
    assert "Awaiting a reasoned response." in page


def test_a_refused_comment_keeps_the_text(client, consultation_plan):
    draft = CommitmentFactory(plan=consultation_plan, status="forum_review")
    draft.plan.consultation_closes_at = timezone.now() - timedelta(seconds=1)
    draft.plan.consultation_opens_at = timezone.now() - timedelta(days=1)
    draft.plan.save()
    client.force_login(UserFactory())
    response = client.post(draft.get_absolute_url() + "comments/", {"text": "My long remark"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "My long remark" in page
    assert "only during the plan&#x27;s public consultation" in page


def test_closing_reminder_goes_once_to_those_who_did_not_comment(consultation_plan):
    commitment = CommitmentFactory(plan=consultation_plan, status="validated")
    commented, silent = UserFactory(), UserFactory()
    services.consultation_comment_post(commitment=commitment, author=commented, text="Yes")
    consultation_plan.consultation_closes_at = timezone.now() + timedelta(days=2)
    consultation_plan.save()
    assert services.consultations_notify_closing() >= 1
    assert services.consultations_notify_closing() == 0
    told = set(
        Notification.objects.filter(kind="consultation_closing").values_list("recipient", flat=True)
    )
    assert silent.pk in told and commented.pk not in told


def test_the_same_response_sent_twice_tells_the_author_once(
    consulted, drafters, django_capture_on_commit_callbacks
):
    author = UserFactory()
    comment = services.consultation_comment_post(
        commitment=consulted, author=author, text="The deadline is too short."
    )
    answer = {"disposition": "taken", "response": "The deadline moves to June."}

    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):  # a double click
            services.consultation_comment_respond(comment=comment, by=drafters[0], **answer)

    assert len([m for m in mail.outbox if m.to == [author.email]]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_comment_respond(
            comment=comment, disposition="noted", response="June was too late.", by=drafters[0]
        )
    assert len([m for m in mail.outbox if m.to == [author.email]]) == 2
