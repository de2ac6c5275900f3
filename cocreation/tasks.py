"""Thin Celery wrappers around the workshop services (periodic jobs in settings)."""

from celery import shared_task
from django.contrib.auth import get_user_model

from cocreation import services
from cocreation.models import Workshop
from core.errors import ForumError


@shared_task(name="cocreation.send_workshop_reminders")
def send_workshop_reminders() -> int:
    return services.workshop_reminders_send()


@shared_task(name="cocreation.release_quotas")
def release_quotas() -> int:
    return services.workshops_release_quotas()


@shared_task(name="cocreation.announce_workshop")
def announce_workshop(workshop_id: int, by_id: int) -> int:
    workshop = Workshop.objects.select_related("process__forum").get(pk=workshop_id)
    try:
        return services.workshop_announce(
            workshop=workshop, by=get_user_model().objects.get(pk=by_id)
        )
    except ForumError:  # cancelled or held back since it was queued: nothing to announce
        return 0
