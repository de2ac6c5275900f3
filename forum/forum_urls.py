"""/forums/: every forum and each forum's pages (forum/forum_views.py). Another part of the
portal may add a forum's page here under /forums/<slug>/."""

from django.urls import path

from forum import forum_views as views

app_name = "forums"

urlpatterns = [
    path("", views.forum_list, name="index"),
    # Before <slug>/: "new" is kept out of the forums' short names (members.services).
    path("new/", views.forum_new, name="create"),
    path("<slug:slug>/", views.forum_home, name="home"),
    path("<slug:slug>/body/", views.forum_body, name="body"),
    path("<slug:slug>/composition/", views.forum_composition, name="composition"),
    path("<slug:slug>/workshops/", views.forum_workshops, name="workshops"),
    path("<slug:slug>/plans/", views.forum_plans, name="plans"),
]
