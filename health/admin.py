from django.contrib import admin

from health.models import HealthThresholds
from members.admin import ForumScopedAdmin


@admin.register(HealthThresholds)
class HealthThresholdsAdmin(ForumScopedAdmin):
    """One row per forum, made with OGP's defaults when its report is first read."""

    list_display = ["forum", "updated_at"]
    readonly_fields = ["forum", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
