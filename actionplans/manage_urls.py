"""Action plans' pages under /manage/<forum>/ (gathered by forum/manage_urls.py, namespace
"manage")."""

from django.urls import path

from actionplans import manage_views

urlpatterns = [
    path("plans/", manage_views.plans, name="plans"),
    path("plans/new/", manage_views.plan_create, name="plan_create"),
    path("plans/<slug:plan_slug>/", manage_views.plan, name="plan"),
    path("plans/<slug:plan_slug>/status/", manage_views.plan_status, name="plan_status"),
    path(
        "plans/<slug:plan_slug>/remind-co-chairs/",
        manage_views.co_chairs_remind,
        name="plan_co_chairs_remind",
    ),
    path("plans/<slug:plan_slug>/panel/", manage_views.panel_add, name="plan_panel_add"),
    path(
        "plans/<slug:plan_slug>/panel/<int:member_id>/remove/",
        manage_views.panel_remove,
        name="plan_panel_remove",
    ),
    path(
        "plans/<slug:plan_slug>/documents/new/",
        manage_views.document_add,
        name="plan_document_add",
    ),
    path(
        "plans/<slug:plan_slug>/documents/<int:document_id>/remove/",
        manage_views.document_remove,
        name="plan_document_remove",
    ),
]
