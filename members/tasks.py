"""Thin Celery wrappers around the members' long work (imports); services queue them by
name (core.queue): nothing imports this module but Celery."""

from celery import shared_task

from members import imports


@shared_task(name=imports.PREVIEW_TASK)
def import_preview(import_id: int) -> int:
    return imports.import_preview_build(import_id).pk


@shared_task(name=imports.RUN_TASK)
def import_run(import_id: int) -> int:
    return imports.import_run(import_id).pk
