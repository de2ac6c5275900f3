from django.urls import include, path

from actionplans import document_views, views

app_name = "actionplans"

C = "<slug:slug>/commitments/<int:number>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-commitments/", views.my_commitments, name="my_commitments"),
    path("my-ideas/", views.my_ideas, name="my_ideas"),
    path("", include("actionplans.export_urls")),
    path("<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("<slug:slug>/document/", document_views.plan_document, name="plan_document"),
    path("<slug:slug>/dashboard/", views.plan_dashboard, name="dashboard"),
    path("<slug:slug>/repository/", views.plan_repository, name="repository"),
    path("<slug:slug>/repository/<int:pk>/file/", views.document_file, name="document_file"),
    path("<slug:slug>/commitments/new/", views.commitment_create, name="commitment_create"),
    path(C, views.commitment_detail, name="commitment_detail"),
    path(C + "document/", document_views.commitment_document, name="commitment_document"),
    path(C + "edit/", views.commitment_edit, name="commitment_edit"),
    path(C + "contributions/", views.commitment_contributions, name="commitment_contributions"),
    path(C + "versions/", views.commitment_versions, name="commitment_versions"),
    path(C + "status/", views.commitment_transition, name="commitment_transition"),
    path(C + "sign-off/", views.commitment_sign_off, name="commitment_sign_off"),
    path(C + "assessment/", views.commitment_assess, name="commitment_assess"),
    path(C + "milestones/new/", views.milestone_plan, name="milestone_add"),
    path(C + "milestones/<int:pk>/", views.milestone_plan, name="milestone_plan"),
    path(C + "milestones/<int:pk>/remove/", views.milestone_remove, name="milestone_remove"),
    path(C + "milestones/<int:pk>/progress/", views.milestone_progress, name="milestone_progress"),
    path(C + "milestones/<int:pk>/evidence/", views.milestone_evidence, name="milestone_evidence"),
    path(C + "milestones/<int:pk>/assessment/", views.milestone_assess, name="milestone_assess"),
    path(C + "comments/", views.comment_post, name="comment_post"),
    path(C + "comments/<int:pk>/response/", views.comment_respond, name="comment_respond"),
]
