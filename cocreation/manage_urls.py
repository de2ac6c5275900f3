"""Co-creation's pages under /manage/<forum>/ (included by forum/urls.py, namespace
"manage")."""

from django.urls import path

from cocreation import manage_views

urlpatterns = [
    path("workshops/new/", manage_views.workshop_create, name="workshop_create"),
]
