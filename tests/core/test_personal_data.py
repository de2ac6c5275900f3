"""Every app says what it holds on a member: "download my data" holds all of it, and
deleting an account erases it in every app (core.personal_data)."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from actionplans import services as plan_services
from cocreation.models import Registration
from core.personal_data import personal_data_providers
from events import services as event_services
from events.models import EventRegistration
from tests.events.conftest import mail_to
from tests.factories import (
    DEFAULT_PASSWORD,
    ActionPlanFactory,
    CommitmentFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

PORTAL_PACKAGES = ("core", "members", "cocreation", "events", "actionplans", "health", "forum")


def test_every_app_that_holds_rows_about_members_registers_what_it_holds():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    holding = {
        model._meta.app_label
        for model in apps.get_models()
        if model.__module__.split(".")[0] in PORTAL_PACKAGES
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "related_model", None) is user_model
    }
    registered = {provider.app_label for provider in personal_data_providers()}

    assert holding, "no model points at members: the test would prove nothing"
    assert holding - registered == set(), (
        "these apps keep rows about members but register nothing in core.personal_data: "
        "add a personal_data.py that registers their export and erasure"
    )


def test_download_my_data_holds_my_events_and_my_comments_on_commitments(client):
    member = UserFactory()
    event = EventFactory(registration_required=True, capacity=5, title="Open budgets night")
    event_services.event_register(event=event, member=member, accessibility_needs="Sign language")
    commitment = CommitmentFactory(
        plan=ActionPlanFactory(in_consultation=True), status="forum_review", title="Open data"
    )
    plan_services.consultation_comment_post(
        commitment=commitment, author=member, text="Add a training milestone."
    )
    client.force_login(member)

    data = json.loads(client.get(reverse("members:my_data")).content)

    [place] = data["event_registrations"]
    assert place["event__title"] == "Open budgets night"
    assert place["accessibility_needs"] == "Sign language"
    [comment] = data["commitment_comments"]
    assert (comment["commitment__title"], comment["text"]) == (
        "Open data",
        "Add a training milestone.",
    )
    assert data["account"]["email"] == member.email


def test_deleting_my_account_frees_my_event_place_and_erases_my_accessibility_needs(client):
    event = EventFactory(registration_required=True, capacity=1, title="Open budgets night")
    member, waiting_member = UserFactory(), UserFactory()
    mine = event_services.event_register(
        event=event, member=member, accessibility_needs="Wheelchair access"
    )
    waiting = event_services.event_register(event=event, member=waiting_member)
    assert waiting.status == EventRegistration.Status.WAITING
    seat = RegistrationFactory(member=member, accessibility_needs="Step-free access")
    client.force_login(member)

    client.post(reverse("members:account_delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"})

    waiting.refresh_from_db()
    assert waiting.status == EventRegistration.Status.CONFIRMED
    assert any("Open budgets night" in message.subject for message in mail_to(waiting_member))
    mine.refresh_from_db()
    assert mine.status == EventRegistration.Status.CANCELLED
    assert mine.accessibility_needs == ""
    seat.refresh_from_db()
    assert seat.accessibility_needs == ""
    assert seat.status == Registration.Status.CANCELLED
