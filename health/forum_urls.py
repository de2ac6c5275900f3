"""One forum's health: /forums/<forum_slug>/health/... (included by health/urls.py, so the
names are in the "health" namespace: health:forum_health and so on)."""

from django.urls import path

from health import views

urlpatterns = [
    path("", views.health, name="forum_health"),
    path("report.json", views.health_json, name="forum_health_json"),
    path("thresholds/", views.thresholds, name="forum_thresholds"),
    path("participation/", views.participation_page, name="forum_participation"),
    path("participation.csv", views.participation_csv, name="forum_participation_csv"),
    path("checks/<slug:key>/", views.check_evidence, name="forum_check"),
    path("checks/<slug:key>/report.json", views.check_json, name="forum_check_json"),
    path("plans/<slug:slug>/", views.health, name="forum_plan_health"),
    path("plans/<slug:slug>/checks/<slug:key>/", views.check_evidence, name="forum_plan_check"),
    path(
        "plans/<slug:slug>/checks/<slug:key>/report.json",
        views.check_json,
        name="forum_plan_check_json",
    ),
    path("plans/<slug:slug>/report.json", views.health_json, name="forum_plan_health_json"),
    path(
        "plans/<slug:slug>/evidence-pack/",
        views.evidence_pack_request,
        name="evidence_pack_request",
    ),
    path("plans/<slug:slug>/evidence-pack/<int:pk>/", views.evidence_pack, name="evidence_pack"),
    path(
        "plans/<slug:slug>/evidence-pack/<int:pk>/download/",
        views.evidence_pack_download,
        name="evidence_pack_download",
    ),
]
