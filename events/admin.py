from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceErrorsAdmin
from events import services
from events.models import Campaign, Event, EventRegistration


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "accepts_submissions"]
    prepopulated_fields = {"slug": ["name"]}


@admin.action(description=_("Approve the selected events"))
def approve_events(modeladmin, request, queryset):
    approved = 0
    for event in queryset.filter(status=Event.Status.SUBMITTED):
        services.event_approve(event=event, by=request.user)
        approved += 1
    modeladmin.message_user(
        request, _("%(count)d events approved.") % {"count": approved}, messages.SUCCESS
    )


@admin.register(Event)
class EventAdmin(ServiceErrorsAdmin):
    """Corrections only: approval and rejection (with its reason) go through the review queue
    or the action below, so that organisers are told."""

    list_display = ["title", "campaign", "city", "country", "starts_at", "status"]
    list_filter = ["status", "campaign", "format", "attendance", "country"]
    search_fields = ["title", "city", "organisation__name"]
    list_select_related = ["campaign"]
    raw_id_fields = ["organiser", "organisation"]
    readonly_fields = [
        "status",
        "rejection_reason",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "sequence",
        "created_at",
        "updated_at",
    ]
    actions = [approve_events]

    def save_model(self, request, obj, form, change):
        """Edits go through the same service as the organiser's: a change of time or place
        raises the calendar sequence, more places promote people waiting, and fewer places
        than those confirmed are refused."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        try:
            services.event_edit(event=Event.objects.get(pk=obj.pk), fields=changed, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        obj.refresh_from_db()


@admin.register(EventRegistration)
class EventRegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "member", "guest_name", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["event", "member"]
    raw_id_fields = ["event", "member"]
