"""Thin Celery wrappers around the action-plan services (periodic jobs in settings)."""

from celery import shared_task

from actionplans import services


@shared_task(name="actionplans.notify_due_milestones")
def notify_due_milestones() -> int:
    return services.milestones_notify_due()


@shared_task(name="actionplans.notify_closing_consultations")
def notify_closing_consultations() -> int:
    return services.consultations_notify_closing()


@shared_task(name="actionplans.build_export")
def build_export(export_id: int) -> int:
    from actionplans.exports import export_build

    return export_build(export_id).pk
