from django.contrib import admin

from core.notifications.models import Notification, NotificationTemplate, ReminderSetting
from core.notifications.reminders import reminder_timing_set
from core.notifications.timings import reminder_timing_of


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject", "updated_at"]
    list_filter = ["kind", "language"]


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    """The timings the apps declare, one row each (created after migrate)."""

    list_display = ["__str__", "value"]
    fields = ["value"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        timing = reminder_timing_of(obj.key) if obj is not None else None
        if timing is not None and timing.help_text:
            form.base_fields["value"].help_text = timing.help_text
        return form

    def save_model(self, request, obj, form, change):
        reminder_timing_set(timing=reminder_timing_of(obj.key), value=obj.value, by=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "email_status", "attempts", "sent_at"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email", "email", "subject"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
