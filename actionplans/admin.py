"""The secretariat creates plans here; commitments are drafted on the portal's pages."""

from django.contrib import admin

from actionplans import services
from actionplans.models import ActionPlan, Document


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "country", "locality", "period_start", "period_end", "status"]
    list_filter = ["status", "country"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "locality"]

    def save_model(self, request, obj, form, change):
        """A change of status goes through the service, so it is checked and audited."""

        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            services.plan_status_change(plan=obj, status=new_status, by=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "kind", "dated", "added_by"]
    list_filter = ["kind", "plan"]
    readonly_fields = ["added_by", "added_at"]
