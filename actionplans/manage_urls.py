"""Action plans' pages under /manage/<forum>/, the index among them (included by
forum/urls.py, namespace "manage")."""

from django.urls import path

from actionplans import manage_views

urlpatterns = [
    path("", manage_views.index, name="index"),
    path("plans/new/", manage_views.plan_create, name="plan_create"),
]
