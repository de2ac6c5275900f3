"""Action plans' pages under /manage/<forum>/ (gathered by forum/manage_urls.py, namespace
"manage")."""

from django.urls import path

from actionplans import manage_views

urlpatterns = [
    path("plans/new/", manage_views.plan_create, name="plan_create"),
]
