"""Forum health's addresses, all in the "health" namespace. Django keeps one URL module per
namespace, so the project includes this one at its root and it holds both sets: each forum's
report under /forums/<slug>/health/ (health/forum_urls.py) and the addresses made before
there were several forums, under /forum-health/, which serve the default forum (and a plan's
old address, that plan's forum)."""

from django.urls import include, path

from health import views

app_name = "health"

legacy_urlpatterns = [
    path("", views.health, name="health"),
    path("report.json", views.health_json, name="health_json"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("participation/", views.participation_page, name="participation"),
    path("participation.csv", views.participation_csv, name="participation_csv"),
    path("plans/<slug:slug>/", views.health, name="plan_health"),
    path("plans/<slug:slug>/report.json", views.health_json, name="plan_health_json"),
]

urlpatterns = [
    path("forum-health/", include(legacy_urlpatterns)),
    path("forums/<slug:forum_slug>/health/", include("health.forum_urls")),
]
