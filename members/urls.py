from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/logo/", views.organisation_logo, name="organisation_logo"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("composition/", views.composition, name="composition"),
    path("forum-body/", views.forum_body, name="forum_body"),
    path("my-forum/", views.my_forum, name="my_forum"),
    path("profile/", views.profile, name="profile"),
    path("profile/my-data.json", views.my_data, name="my_data"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("membership/reply/", views.membership_reply, name="membership_reply"),
    path("queue/", views.membership_queue, name="membership_queue"),
    path("queue/<int:pk>/", views.membership_decide, name="membership_decide"),
]
