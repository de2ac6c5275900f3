from django.contrib import admin

from cocreation import services
from cocreation.models import CoCreationProcess, Registration, Theme, Workshop


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 1


@admin.register(CoCreationProcess)
class CoCreationProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ThemeInline]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "process", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind", "process", "language"]
    search_fields = ["title"]
    filter_horizontal = ["facilitators", "facilitating_organisations"]
    readonly_fields = ["sequence", "rescheduled_at"]

    def save_model(self, request, obj, form, change):
        quota_fields = {"government_quota", "non_government_quota", "capacity"}
        if change and quota_fields & set(form.changed_data):
            # Seats change only through the service: raising a quota promotes people waiting.
            saved = Workshop.objects.get(pk=obj.pk)
            new_quotas = (obj.government_quota, obj.non_government_quota)
            obj.government_quota, obj.non_government_quota = (
                saved.government_quota,
                saved.non_government_quota,
            )
            obj.capacity = saved.capacity
            super().save_model(request, obj, form, change)
            services.workshop_capacity_change(
                workshop=obj,
                government_quota=new_quotas[0],
                non_government_quota=new_quotas[1],
                by=request.user,
            )
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["workshop", "member", "stakeholder_group", "status", "created_at"]
    list_filter = ["status", "stakeholder_group"]
    list_select_related = ["workshop", "member"]
    raw_id_fields = ["member", "workshop"]
