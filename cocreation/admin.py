from django.contrib import admin

from cocreation import services
from cocreation.models import (
    CoCreationProcess,
    OutreachAttachment,
    Registration,
    Theme,
    Workshop,
)
from core.admin import ServiceErrorsAdmin


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 1


@admin.register(CoCreationProcess)
class CoCreationProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ThemeInline]


class OutreachAttachmentInline(admin.TabularInline):
    model = OutreachAttachment
    extra = 1
    readonly_fields = ["created_at"]


@admin.register(Workshop)
class WorkshopAdmin(ServiceErrorsAdmin):
    inlines = [OutreachAttachmentInline]
    list_display = ["title", "kind", "process", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind", "process", "language"]
    search_fields = ["title"]
    filter_horizontal = ["facilitators", "facilitating_organisations"]
    readonly_fields = ["sequence", "rescheduled_at", "announced_at", "created_at"]

    def save_model(self, request, obj, form, change):
        """Seats, times and cancellation change only through the services, so that people
        waiting are promoted and everyone registered is told."""
        changed = set(form.changed_data)
        if not change:
            status, obj.status = obj.status, Workshop.Status.DRAFT
            super().save_model(request, obj, form, change)
            if status != Workshop.Status.DRAFT:
                services.workshop_status_change(workshop=obj, status=status, by=request.user)
                obj.refresh_from_db()
            return
        saved = Workshop.objects.get(pk=obj.pk)
        new = {field: getattr(obj, field) for field in SERVICE_FIELDS}
        for field in SERVICE_FIELDS:  # save everything else as edited
            setattr(obj, field, getattr(saved, field))
        super().save_model(request, obj, form, change)
        if changed & {"government_quota", "non_government_quota", "capacity", "first_time_seats"}:
            services.workshop_capacity_change(
                workshop=obj,
                government_quota=new["government_quota"],
                non_government_quota=new["non_government_quota"],
                first_time_seats=new["first_time_seats"],
                by=request.user,
            )
        if changed & {"starts_at", "ends_at", "venue", "online_link"}:
            services.workshop_reschedule(
                workshop=obj,
                starts_at=new["starts_at"],
                ends_at=new["ends_at"],
                venue=new["venue"],
                online_link=new["online_link"],
                by=request.user,
            )
        if "status" in changed:
            if new["status"] == Workshop.Status.CANCELLED:
                services.workshop_cancel(workshop=obj, reason="", by=request.user)
            else:
                services.workshop_status_change(workshop=obj, status=new["status"], by=request.user)
        obj.refresh_from_db()


SERVICE_FIELDS = [
    "government_quota",
    "non_government_quota",
    "capacity",
    "first_time_seats",
    "starts_at",
    "ends_at",
    "venue",
    "online_link",
    "status",
]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["workshop", "member", "stakeholder_group", "status", "created_at"]
    list_filter = ["status", "stakeholder_group"]
    list_select_related = ["workshop", "member"]
    raw_id_fields = ["member", "workshop"]
