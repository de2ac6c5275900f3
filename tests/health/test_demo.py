"""The demo forum shows forum health with checks met and checks not met."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import ActionPlan
from cocreation.models import Comment, Contribution, Registration, Support, Workshop
from health.checks import health_report

pytestmark = pytest.mark.django_db


def test_the_demo_forum_has_checks_met_and_not_met_and_the_page_shows_both(client):
    call_command("demo_data", stdout=None)
    call_command("demo_data", "--reset", stdout=None)  # idempotent, and removable

    plan6, plan5 = ActionPlan.objects.get(number=6), ActionPlan.objects.get(number=5)
    nap6 = {c.key: c.state for c in health_report(forum=plan6.forum, plan=plan6).checks}
    nap5 = {c.key: c.state for c in health_report(forum=plan5.forum, plan=plan5).checks}

    assert nap6["forum_meetings"] == "met"
    assert nap6["notice_given"] == "not_met"
    assert nap6["reasoned_responses"] == "not_met"
    assert nap6["minutes_published"] == "at_risk"
    assert nap5["forum_meetings"] == "not_met"
    assert nap5["implementation_meetings"] == "not_met"
    assert nap5["milestone_evidence"] == "met"
    page = client.get(reverse("health:plan_health", args=["nap-6-2026-2028"])).content
    assert b"Not met" in page and b"At risk" in page and b"Met" in page
    # The 5th plan's first meetings were held before the portal: recorded, and counted.
    evidence = next(c for c in health_report(forum=plan5.forum, plan=plan5).checks).evidence
    recorded = [e for e in evidence if "held outside the portal" in e.text]
    assert [e.when.isoformat() for e in recorded] == ["2022-11-10", "2023-04-20"]


def test_the_demo_keeps_seats_for_newcomers_and_a_regular_waits_for_them():
    call_command("demo_data", stdout=None)

    workshop = Workshop.objects.get(title="Citizen participation in local government")
    waiting = workshop.registrations.filter(status=Registration.Status.WAITING)
    assert workshop.first_time_seats == 4
    assert waiting.filter(first_time=False).exists()
    assert workshop.registrations.filter(status="confirmed", first_time=True).exists()


def test_every_seat_and_contribution_of_the_demo_keeps_its_organisation():
    """The demo's rows are made in bulk (which skips the models' save): the participation
    figures read the organisation each seat and contribution kept."""
    call_command("demo_data", stdout=None)

    assert not Registration.objects.filter(organisation__isnull=True).exists()
    assert not Contribution.objects.filter(author__isnull=False, organisation__isnull=True).exists()
    assert not Support.objects.filter(organisation__isnull=True).exists()
    assert not Comment.objects.filter(author__isnull=False, organisation__isnull=True).exists()
