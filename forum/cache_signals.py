"""Keeping what pages keep in the cache true (core.generations), connected by the forum
shell, which knows every app:

- the header's facts (core.member_header): each change to what the header shows drops the
  entry of the member it concerns, or, when it may concern many, all of them (a new
  generation); the notification services, which write and read notices in bulk, drop
  their members' entries themselves;
- what is coming up in each forum (the home page): any workshop, process or event saved or
  deleted starts a new generation."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from actionplans.models import Commitment, SignOff
from cocreation.models import CoCreationProcess, Workshop
from core.generations import generation_bump
from core.member_header import member_header_forget, member_headers_forget_all
from core.notifications.models import Notification
from events.models import Event
from forum.forum_views import COMING_UP_NAME
from members.models import ForumRole, ForumSeat


def _notification_changed(sender, instance, **kwargs):
    member_header_forget([instance.recipient_id])


def _role_changed(sender, instance, **kwargs):
    member_header_forget([instance.member_id])


def _member_changed(sender, instance, **kwargs):
    member_header_forget([instance.pk])


def _many_changed(sender, **kwargs):
    member_headers_forget_all()


def _coming_up_changed(sender, **kwargs):
    generation_bump(COMING_UP_NAME)


def _facilitators_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        member_headers_forget_all()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_notification_changed, sender=Notification, dispatch_uid="header-notice")
        signal.connect(_role_changed, sender=ForumRole, dispatch_uid="header-role")
        signal.connect(_member_changed, sender=get_user_model(), dispatch_uid="header-member")
        for model in (ForumSeat, SignOff, Commitment):
            signal.connect(_many_changed, sender=model, dispatch_uid=f"header-{model.__name__}")
        for model in (Workshop, CoCreationProcess, Event):
            signal.connect(
                _coming_up_changed, sender=model, dispatch_uid=f"coming-up-{model.__name__}"
            )
    # A workshop deleted takes its facilitators' places with it, without m2m_changed; a
    # workshop saved changes nothing the header shows.
    post_delete.connect(_many_changed, sender=Workshop, dispatch_uid="header-Workshop")
    m2m_changed.connect(
        _facilitators_changed, sender=Workshop.facilitators.through, dispatch_uid="header-fac"
    )
