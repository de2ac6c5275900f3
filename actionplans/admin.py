"""The secretariat creates plans here; commitments are drafted on the portal's pages."""

from django.contrib import admin

from actionplans.models import ActionPlan, Document


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "country", "locality", "period_start", "period_end", "status"]
    list_filter = ["status", "country"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "locality"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "kind", "dated", "added_by"]
    list_filter = ["kind", "plan"]
    readonly_fields = ["added_by", "added_at"]
