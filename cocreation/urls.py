from django.urls import path

from cocreation import session_views, views

app_name = "cocreation"

urlpatterns = [
    path("", views.workshop_list, name="index"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/register/", views.workshop_register, name="workshop_register"),
    path("<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/calendar.ics", views.workshop_ics, name="workshop_ics"),
    path("<int:pk>/outreach/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(
        "past-meetings/<int:pk>/minutes/",
        views.past_meeting_minutes,
        name="past_meeting_minutes",
    ),
    path("<int:pk>/contributions/", session_views.contribution_board, name="contribution_board"),
    path(
        "<int:pk>/contributions/<int:contribution_pk>/",
        session_views.contribution_link,
        name="contribution_link",
    ),
    path("<int:pk>/contributions/post/", session_views.contribution_post, name="contribution_post"),
    path(
        "<int:pk>/contributions/<int:contribution_pk>/<slug:action>/",
        session_views.contribution_action,
        name="contribution_action",
    ),
    path("<int:pk>/check-in/", session_views.check_in, name="check_in"),
    path("<int:pk>/minutes/", session_views.minutes, name="minutes"),
    path(
        "<int:pk>/check-in/<int:registration_pk>/",
        session_views.check_in_mark,
        name="check_in_mark",
    ),
    path("<int:pk>/check-in/walk-in/", session_views.walk_in, name="walk_in"),
    path(
        "<int:pk>/check-in/walk-in-without-account/",
        session_views.walk_in_anonymous,
        name="walk_in_anonymous",
    ),
    path("<int:pk>/check-in/find/", session_views.check_in_find, name="check_in_find"),
    path("<int:pk>/check-in/seat/", session_views.check_in_seat, name="check_in_seat"),
    path("seat/<str:token>/", session_views.seat_pass_page, name="seat_pass"),
    path("seat/<str:token>/qr.svg", session_views.seat_qr, name="seat_qr"),
    path("moderation/", session_views.moderation_queue, name="moderation_queue"),
    path("calendar/", views.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/<token:token>.ics", views.my_workshops_feed, name="my_workshops_feed"),
]
