"""Members: pages in a forum's back office, /manage/<forum>/... (forum/manage_urls.py
gathers them under the namespace "manage")."""

from django.urls import path

from members import import_views, manage_views

urlpatterns = [
    path("body/", manage_views.body, name="body"),
    path("body/export/<slug:fmt>/", manage_views.body_export, name="body_export"),
    path(
        "organisations/export/<slug:fmt>/",
        manage_views.organisations_export,
        name="organisations_export",
    ),
    path("body/seats/new/", manage_views.seat_add, name="body_seat_add"),
    path("body/seats/<int:pk>/", manage_views.seat_edit, name="body_seat_edit"),
    path("body/seats/<int:pk>/end/", manage_views.seat_end, name="body_seat_end"),
    path("body/co-chair/", manage_views.co_chair_replace, name="body_co_chair_replace"),
    path("body/roles/new/", manage_views.role_give, name="body_role_give"),
    path("body/roles/<int:pk>/remove/", manage_views.role_remove, name="body_role_remove"),
    path("organisations/", manage_views.organisations, name="organisations"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/columns/", import_views.import_map, name="import_map"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path(
        "imports/<int:pk>/rejected.csv",
        import_views.import_rejected_csv,
        name="import_rejected_csv",
    ),
    path("invitations/", manage_views.invitations, name="invitations"),
    path("invitations/new/", manage_views.invitation_add, name="invitation_add"),
    path(
        "invitations/<int:pk>/<slug:action>/",
        manage_views.invitation_action,
        name="invitation_action",
    ),
    path(
        "organisations/queue/<int:pk>/",
        manage_views.membership_decide,
        name="membership_decide",
    ),
    path(
        "organisations/changes/<int:pk>/",
        manage_views.organisation_change_decide,
        name="organisation_change_decide",
    ),
    path("organisations/<int:pk>/", manage_views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/verify/",
        manage_views.organisation_verify,
        name="organisation_verify",
    ),
    path(
        "organisations/<int:pk>/merge/",
        manage_views.organisation_merge,
        name="organisation_merge",
    ),
]
