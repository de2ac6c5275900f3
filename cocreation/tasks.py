"""Thin Celery wrappers around the workshop services (periodic jobs in settings)."""

from celery import shared_task

from cocreation import services


@shared_task(name="cocreation.send_workshop_reminders")
def send_workshop_reminders() -> int:
    return services.workshop_reminders_send()


@shared_task(name="cocreation.release_quotas")
def release_quotas() -> int:
    return services.workshops_release_quotas()
