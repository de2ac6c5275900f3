import pytest
from django.core import mail
from django.urls import reverse

from cocreation import services
from cocreation.models import AbuseReport, Contribution, Registration, Support
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session():
    """A workshop with a facilitator, a seated participant and a secretariat member."""
    workshop = WorkshopFactory(title="Open data")
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    participant = RegistrationFactory(workshop=workshop, group="non_government").member
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "participant": participant,
        "secretariat": UserFactory(roles=["secretariat"]),
        "outsider": member_of("government"),
    }


def post_idea(workshop, author, title="Publish budgets as open data"):
    return services.contribution_post(
        workshop=workshop, author=author, kind="idea", title=title, text="Monthly, as CSV."
    )


def action(client, contribution, name, **data):
    url = reverse(
        "cocreation:contribution_action", args=[contribution.workshop_id, contribution.pk, name]
    )
    return client.post(url, data)


def test_a_participant_posts_and_it_waits_for_moderation(client, session):
    client.force_login(session["participant"])

    response = client.post(
        reverse("cocreation:contribution_post", args=[session["workshop"].pk]),
        {"kind": "challenge", "title": "Budgets are PDFs", "text": "Nobody can reuse them."},
        follow=True,
    )

    assert "appears once a facilitator publishes it" in response.content.decode()
    contribution = Contribution.objects.get()
    assert contribution.status == Contribution.Status.SUBMITTED
    public = client.logout() or client.get(
        reverse("cocreation:contribution_board", args=[session["workshop"].pk])
    )
    assert "Budgets are PDFs" not in public.content.decode()


def test_an_incomplete_contribution_is_redisplayed_with_what_was_written(client, session):
    client.force_login(session["participant"])

    response = client.post(
        reverse("cocreation:contribution_post", args=[session["workshop"].pk]),
        {"kind": "idea", "title": "", "text": "My long text that must not be lost"},
    )

    assert response.status_code == 400
    assert "My long text that must not be lost" in response.content.decode()
    assert not Contribution.objects.exists()


def test_someone_without_a_seat_cannot_post(client, session):
    client.force_login(session["outsider"])

    response = client.post(
        reverse("cocreation:contribution_post", args=[session["workshop"].pk]),
        {"kind": "idea", "title": "x", "text": "y"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["publish", "hide", "tag", "respond", "merge"])
@pytest.mark.parametrize(
    ("who", "allowed"),
    [("facilitator", True), ("secretariat", True), ("participant", False), ("outsider", False)],
)
def test_only_facilitators_and_the_secretariat_moderate(client, session, name, who, allowed):
    contribution = post_idea(session["workshop"], session["participant"])
    other = post_idea(session["workshop"], session["participant"], title="Same idea")
    services.contribution_publish(contribution=other, by=session["facilitator"])
    client.force_login(session[who])

    response = action(
        client,
        contribution,
        name,
        reason="Off topic",
        tags="budget",
        into=other.pk,
        disposition="under_consideration",
        explanation="We will discuss it.",
    )

    assert response.status_code == (302 if allowed else 403)


def test_anonymous_visitors_are_sent_to_log_in_for_any_action(client, session):
    contribution = post_idea(session["workshop"], session["participant"])

    response = action(client, contribution, "publish")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_hiding_needs_a_reason_and_resolves_reports(client, session):
    contribution = post_idea(session["workshop"], session["participant"])
    services.contribution_publish(contribution=contribution, by=session["facilitator"])
    services.contribution_report(
        contribution=contribution, reporter=session["outsider"], reason="Insulting"
    )
    client.force_login(session["facilitator"])

    refused = action(client, contribution, "hide", reason="")
    assert Contribution.objects.get().status == Contribution.Status.PUBLISHED
    assert refused.status_code == 302

    action(client, contribution, "hide", reason="Personal attack")
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.HIDDEN
    assert contribution.hidden_reason == "Personal attack"
    assert not AbuseReport.objects.filter(resolved_at__isnull=True).exists()


def test_a_reasoned_response_is_public_and_tells_the_author(client, session):
    contribution = post_idea(session["workshop"], session["participant"])
    services.contribution_publish(contribution=contribution, by=session["facilitator"])
    mail.outbox.clear()
    client.force_login(session["facilitator"])

    action(
        client,
        contribution,
        "respond",
        disposition="taken_into_commitment",
        commitment_reference="Commitment 3: Open budgets",
        explanation="It became the core of commitment 3.",
    )
    client.logout()
    html = client.get(reverse("cocreation:contribution_board", args=[contribution.workshop_id]))

    page = html.content.decode()
    assert "Taken into a commitment" in page
    assert "Commitment 3: Open budgets" in page
    assert "1 of 1 published contributions have a reasoned response." in page
    (message,) = [m for m in mail.outbox if m.to == [session["participant"].email]]
    assert "It became the core of commitment 3." in message.body


def test_taken_into_a_commitment_must_name_it(client, session):
    contribution = post_idea(session["workshop"], session["participant"])
    client.force_login(session["facilitator"])

    response = action(
        client, contribution, "respond", disposition="taken_into_commitment", explanation="Yes."
    )

    assert "Name the commitment" in str(list(response.wsgi_request._messages))
    assert not hasattr(Contribution.objects.get(), "response")


def test_merging_a_duplicate_points_to_the_original_and_answers_it(session):
    original = post_idea(session["workshop"], session["participant"])
    other_participant = RegistrationFactory(workshop=session["workshop"]).member
    duplicate = post_idea(session["workshop"], other_participant, title="Open the budget")

    services.contribution_merge(duplicate=duplicate, into=original, by=session["facilitator"])

    duplicate.refresh_from_db()
    assert duplicate.merged_into == original
    assert duplicate.response.disposition == "merged"


def test_one_support_per_member_and_it_can_be_withdrawn(client, session):
    contribution = post_idea(session["workshop"], session["participant"])
    services.contribution_publish(contribution=contribution, by=session["facilitator"])
    client.force_login(session["outsider"])

    action(client, contribution, "support")
    action(client, contribution, "support")
    assert Support.objects.count() == 0
    action(client, contribution, "support")
    assert Support.objects.count() == 1


def test_unpublished_contributions_take_no_support_comment_or_report(client, session):
    contribution = post_idea(session["workshop"], session["participant"])
    client.force_login(session["outsider"])

    for name in ("support", "comment", "report"):
        assert action(client, contribution, name, text="x", reason="y").status_code == 403


def test_comments_and_reports_from_members(client, session):
    contribution = post_idea(session["workshop"], session["participant"])
    services.contribution_publish(contribution=contribution, by=session["facilitator"])
    client.force_login(session["outsider"])

    action(client, contribution, "comment", text="Include municipalities too.")
    action(client, contribution, "report", reason="Spam link")
    action(client, contribution, "report", reason="Spam link again")

    assert contribution.comments.get().text == "Include municipalities too."
    assert AbuseReport.objects.count() == 1  # one open report per member


def test_the_board_costs_the_same_queries_for_few_and_many(
    client, session, django_assert_max_num_queries
):
    url = reverse("cocreation:contribution_board", args=[session["workshop"].pk])
    client.force_login(session["facilitator"])
    post_idea(session["workshop"], session["participant"])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(12):
        c = post_idea(session["workshop"], session["participant"], title=f"Idea {n}")
        services.contribution_publish(contribution=c, by=session["facilitator"])
        services.contribution_comment(contribution=c, author=session["outsider"], text="+1")
        services.contribution_tag(contribution=c, names=["budget"], by=session["facilitator"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_check_in_and_walk_in(client, session):
    session["workshop"].check_in_opens_hours_before = 24 * 8  # it starts in a week
    session["workshop"].save()
    registration = Registration.objects.get(member=session["participant"])
    walker = member_of("government", email="walker@example.org")
    client.force_login(session["facilitator"])

    client.post(
        reverse("cocreation:check_in_mark", args=[session["workshop"].pk, registration.pk]),
        {"attendance": "attended"},
    )
    client.post(
        reverse("cocreation:walk_in", args=[session["workshop"].pk]),
        {"email": "walker@example.org"},
    )
    page = client.get(reverse("cocreation:check_in", args=[session["workshop"].pk]))

    registration.refresh_from_db()
    assert registration.attendance == Registration.Attendance.ATTENDED
    walk_in = Registration.objects.get(member=walker)
    assert walk_in.walk_in and walk_in.attendance == Registration.Attendance.ATTENDED
    assert "(walk-in)" in page.content.decode()


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_only_moderators_see_the_check_in(client, session, who):
    client.force_login(session[who])

    assert (
        client.get(reverse("cocreation:check_in", args=[session["workshop"].pk])).status_code == 403
    )


def test_the_moderation_queue_lists_waiting_and_reported_contributions(client, session):
    waiting = post_idea(session["workshop"], session["participant"], title="Waiting one")
    reported = post_idea(session["workshop"], session["participant"], title="Reported one")
    services.contribution_publish(contribution=reported, by=session["facilitator"])
    services.contribution_report(contribution=reported, reporter=session["outsider"], reason="x")
    quiet = post_idea(session["workshop"], session["participant"], title="Quiet one")
    services.contribution_publish(contribution=quiet, by=session["facilitator"])
    other_workshop = RegistrationFactory(member=session["participant"]).workshop
    elsewhere = post_idea(other_workshop, session["participant"], title="Other workshop")
    client.force_login(session["facilitator"])

    html = client.get(reverse("cocreation:moderation_queue")).content.decode()

    assert waiting.title in html and reported.title in html and "1 report" in html
    assert quiet.title not in html
    assert elsewhere.title not in html  # not a workshop this facilitator runs
    client.force_login(session["secretariat"])
    assert elsewhere.title in client.get(reverse("cocreation:moderation_queue")).content.decode()


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_members_do_not_see_the_moderation_queue(client, session, who):
    client.force_login(session[who])

    assert client.get(reverse("cocreation:moderation_queue")).status_code == 403


def test_the_workshop_page_says_how_many_contributions_have_a_response(client, session):
    answered = post_idea(session["workshop"], session["participant"])
    services.contribution_publish(contribution=answered, by=session["facilitator"])
    services.contribution_respond(
        contribution=answered,
        disposition="under_consideration",
        explanation="Soon.",
        by=session["facilitator"],
    )
    services.contribution_publish(
        contribution=post_idea(session["workshop"], session["participant"], title="B"),
        by=session["facilitator"],
    )

    html = client.get(session["workshop"].get_absolute_url()).content.decode()

    assert "1 of 2 published contributions have a reasoned response." in html


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_only_moderators_mark_attendance_or_add_walk_ins(client, session, who):
    registration = Registration.objects.get(member=session["participant"])
    client.force_login(session[who])

    marked = client.post(
        reverse("cocreation:check_in_mark", args=[session["workshop"].pk, registration.pk]),
        {"attendance": "attended"},
    )
    walked = client.post(
        reverse("cocreation:walk_in", args=[session["workshop"].pk]),
        {"email": session["outsider"].email},
    )

    assert (marked.status_code, walked.status_code) == (403, 403)
    registration.refresh_from_db()
    assert registration.attendance == Registration.Attendance.UNKNOWN
