from django.urls import path

from events import guest_views, views

app_name = "events"

urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.event_map, name="map"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("submit/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("my-calendar/", views.calendar_subscribe, name="calendar_subscribe"),
    path("my-calendar/<token:token>.ics", views.my_events_feed, name="my_events_feed"),
    path("review/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/register-as-guest/", views.guest_register, name="guest_register"),
    path("guests/<token:token>/", guest_views.guest_status, name="guest_status"),
    path("guests/<token:token>/confirm/", guest_views.guest_confirm, name="guest_confirm"),
    path("guests/<token:token>/cancel/", guest_views.guest_cancel, name="guest_cancel"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/registrations.csv", views.registrations_csv, name="registrations_csv"),
]
