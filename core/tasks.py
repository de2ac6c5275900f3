"""Thin Celery wrappers around the ground floor's own jobs (periodic ones in settings)."""

from celery import shared_task

from core.personal_data import personal_data_expire


@shared_task(name="core.expire_personal_data")
def expire_personal_data() -> dict[str, int]:
    return personal_data_expire()
