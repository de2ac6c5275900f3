"""The back office of a forum, /manage/<forum>/...: each app's pages, from the apps whose
records they change (their manage_urls.py), under one namespace, "manage"."""

from django.urls import path

from actionplans import manage_urls as actionplans
from cocreation import manage_urls as cocreation
from events import manage_urls as events
from forum import manage_views
from members import manage_urls as members

urlpatterns = [
    path("", manage_views.overview, name="index"),
    *actionplans.urlpatterns,
    *cocreation.urlpatterns,
    *events.urlpatterns,
    *members.urlpatterns,
]
