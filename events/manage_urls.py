"""Events: pages in a forum's back office, /manage/<forum>/... (forum/manage_urls.py
gathers them under the namespace "manage")."""

from django.urls import path

from events import manage_views

urlpatterns = [
    path("events/", manage_views.events, name="events"),
    path("events/campaigns/new/", manage_views.campaign_create, name="campaign_create"),
    path("events/campaigns/<int:campaign_id>/", manage_views.campaign_edit, name="campaign_edit"),
    path("events/review/", manage_views.review_queue, name="events_review"),
    path("events/<int:event_id>/decide/", manage_views.event_decide, name="event_decide"),
    path("events/organisers/", manage_views.organiser_events, name="events_by_organiser"),
]
