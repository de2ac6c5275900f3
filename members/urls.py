from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("composition/", views.composition, name="composition"),
    path("my-forum/", views.my_forum, name="my_forum"),
    path("profile/", views.profile, name="profile"),
    path("queue/", views.membership_queue, name="membership_queue"),
    path("queue/<int:pk>/", views.membership_decide, name="membership_decide"),
]
