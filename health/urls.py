from django.urls import path

from health import views

app_name = "health"

urlpatterns = [
    path("", views.health, name="health"),
    path("report.json", views.health_json, name="health_json"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("participation/", views.participation_page, name="participation"),
    path("participation.csv", views.participation_csv, name="participation_csv"),
    path("plans/<slug:slug>/", views.health, name="plan_health"),
    path("plans/<slug:slug>/report.json", views.health_json, name="plan_health_json"),
]
