"""Thin Celery wrappers around the action-plan services and the export's rendering
(periodic jobs in settings). Services queue them by name (core.queue): nothing imports
this module but Celery."""

from celery import shared_task

from actionplans import rendering, services


@shared_task(name="actionplans.notify_due_milestones")
def notify_due_milestones() -> int:
    return services.milestones_notify_due()


@shared_task(name="actionplans.notify_closing_consultations")
def notify_closing_consultations() -> int:
    return services.consultations_notify_closing()


@shared_task(name="actionplans.build_export")
def build_export(export_id: int) -> int:
    return rendering.export_build(export_id).pk


@shared_task(name=services.DOCUMENT_TEXT_TASK, ignore_result=True)
def extract_document_text(document_id: int) -> None:
    document = services.Document.objects.filter(pk=document_id).first()
    if document is not None:
        services.document_text_extract(document=document)
