"""Co-creation's pages under /manage/<forum>/ (included by forum/urls.py, namespace
"manage")."""

from django.urls import path

from cocreation import manage_registrants, manage_views

urlpatterns = [
    path("workshops/new/", manage_views.workshop_create, name="workshop_create"),
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
]
