from django.urls import path

from cocreation import views

app_name = "cocreation"

urlpatterns = [
    path("", views.workshop_list, name="index"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/register/", views.workshop_register, name="workshop_register"),
    path("<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]
