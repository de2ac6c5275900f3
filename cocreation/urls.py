from django.urls import path

from cocreation import views

app_name = "cocreation"

urlpatterns = [
    path("", views.index, name="index"),
]
