"""Thin Celery wrappers around the index's jobs (periodic ones in settings)."""

from celery import shared_task

from core.search.services import search_public_refresh


@shared_task(name="search.public_refresh")
def public_refresh() -> int:
    return search_public_refresh()
