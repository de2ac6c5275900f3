from django.contrib import admin

from core.admin import ServiceErrorsAdmin
from health import permissions, services
from health.models import HealthThresholds
from members.permissions import forums_run


@admin.register(HealthThresholds)
class HealthThresholdsAdmin(ServiceErrorsAdmin):
    """Each forum's row, seen and changed by its own secretariat only (the site
    administrator: every forum's); saved through the service, which audits the change.
    The rows are made when a forum's report is first read."""

    list_display = ["forum", "updated_at"]
    readonly_fields = ["forum", "updated_at"]

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("forum")
        run = forums_run(request.user)
        return rows if run is None else rows.filter(forum_id__in=run)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_thresholds(request.user, obj.forum))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.thresholds_update(forum=obj.forum, values=form.cleaned_data, by=request.user)
