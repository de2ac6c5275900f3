"""Thin Celery wrappers around the event services (periodic jobs in settings)."""

from celery import shared_task

from events import services


@shared_task(name="events.send_event_reminders")
def send_event_reminders() -> int:
    return services.event_reminders_send()
