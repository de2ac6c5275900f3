from django.urls import path

from cocreation import views

app_name = "cocreation"

urlpatterns = [
    path("", views.workshop_list, name="index"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/register/", views.workshop_register, name="workshop_register"),
    path("<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/calendar.ics", views.workshop_ics, name="workshop_ics"),
    path("calendar/", views.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/<str:token>.ics", views.my_workshops_feed, name="my_workshops_feed"),
]
