from django.contrib import admin

from core.notifications.models import Notification, NotificationTemplate, ReminderTiming


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject", "updated_at"]
    list_filter = ["kind", "language"]


@admin.register(ReminderTiming)
class ReminderTimingAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not ReminderTiming.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "email_status", "attempts", "sent_at"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email", "subject"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
