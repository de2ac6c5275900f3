from django.contrib import admin

from health.models import HealthThresholds


@admin.register(HealthThresholds)
class HealthThresholdsAdmin(admin.ModelAdmin):
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not HealthThresholds.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
