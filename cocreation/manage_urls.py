"""Co-creation's pages under /manage/<forum>/ (included by forum/manage_urls.py, namespace
"manage"): the forum's processes and their themes, its workshops and each one's actions."""

from django.urls import path

from cocreation import manage_past_meetings, manage_registrants
from cocreation import manage_views as views

urlpatterns = [
    path("workshops/", views.workshops, name="workshops"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("processes/new/", views.process_create, name="process_create"),
    path("processes/<int:pk>/", views.process_edit, name="process_edit"),
    path("processes/<int:pk>/themes/", views.theme_add, name="theme_add"),
    path("processes/<int:pk>/themes/<int:theme_pk>/", views.theme_rename, name="theme_rename"),
    path(
        "processes/<int:pk>/themes/<int:theme_pk>/remove/",
        views.theme_remove,
        name="theme_remove",
    ),
    path("workshops/<int:pk>/", views.workshop_manage, name="workshop_manage"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/duplicate/", views.workshop_duplicate, name="workshop_duplicate"),
    path("workshops/<int:pk>/publish/", views.workshop_publish, name="workshop_publish"),
    path("workshops/<int:pk>/held/", views.workshop_mark_held, name="workshop_mark_held"),
    path("workshops/<int:pk>/reschedule/", views.workshop_reschedule, name="workshop_reschedule"),
    path("workshops/<int:pk>/seats/", views.workshop_capacity, name="workshop_capacity"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="workshop_cancel"),
    path("workshops/<int:pk>/delete/", views.workshop_delete, name="workshop_delete"),
    path(
        "workshops/<int:pk>/facilitators/", views.facilitator_add, name="workshop_facilitator_add"
    ),
    path(
        "workshops/<int:pk>/facilitators/<int:member_pk>/remove/",
        views.facilitator_remove,
        name="workshop_facilitator_remove",
    ),
    path("workshops/<int:pk>/partners/", views.organisation_add, name="workshop_organisation_add"),
    path(
        "workshops/<int:pk>/partners/<int:organisation_pk>/remove/",
        views.organisation_remove,
        name="workshop_organisation_remove",
    ),
    path("workshops/<int:pk>/kit/", views.attachment_add, name="workshop_attachment_add"),
    path(
        "workshops/<int:pk>/kit/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="workshop_attachment_remove",
    ),
    path(
        "workshops/<int:pk>/registrants/",
        manage_registrants.registrants,
        name="registrants",
    ),
    path(
        "workshops/<int:pk>/registrants.csv",
        manage_registrants.registrants_csv,
        name="registrants_csv",
    ),
    path(
        "workshops/<int:pk>/registrants/message/",
        manage_registrants.registrants_message,
        name="registrants_message",
    ),
    path(
        "workshops/<int:pk>/registrants/<int:registration_pk>/seat/",
        manage_registrants.registration_seat_give,
        name="registration_seat_give",
    ),
    path("past-meetings/", manage_past_meetings.past_meeting_list, name="past_meetings"),
    path("past-meetings/new/", manage_past_meetings.past_meeting_add, name="past_meeting_add"),
    path(
        "past-meetings/<int:pk>/edit/",
        manage_past_meetings.past_meeting_edit,
        name="past_meeting_edit",
    ),
    path(
        "past-meetings/<int:pk>/delete/",
        manage_past_meetings.past_meeting_delete,
        name="past_meeting_delete",
    ),
]
