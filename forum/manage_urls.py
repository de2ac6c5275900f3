"""The back office of a forum, /manage/<forum>/...: each app's pages, from the apps whose
records they change (their manage_urls.py), under one namespace, "manage"."""

from actionplans import manage_urls as actionplans
from cocreation import manage_urls as cocreation
from events import manage_urls as events
from members import manage_urls as members

urlpatterns = [
    *actionplans.urlpatterns,
    *cocreation.urlpatterns,
    *events.urlpatterns,
    *members.urlpatterns,
]
