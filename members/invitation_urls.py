"""/invitations/<token>/: the page an invitation's link opens (members.invitation_views)."""

from django.urls import path

from members import invitation_views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", invitation_views.accept, name="accept"),
]
