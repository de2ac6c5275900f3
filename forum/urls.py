from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from forum import manage_urls, manage_views, views
from members import views as member_views

# The Django admin is the site administrator's alone: a forum's secretariat and facilitators
# run it from the back office (/manage/), whatever their staff status or groups.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
# Its log-in is the portal's own (allauth: its rate limits, counted with the portal's, and
# the two-factor code of an account that has an authenticator); the admin's password-only
# form would skip both.
admin.site.login = secure_admin_login(admin.site.login)

# Under /api/, a 404 of the URL patterns is JSON like the API's own.
handler404 = views.not_found

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("forums/", include("forum.forum_urls")),
    path("members/", include("members.urls")),
    path("invitations/", include("members.invitation_urls")),
    path("workshops/", include("cocreation.urls")),
    path("action-plans/", include("actionplans.urls")),
    path("events/", include("events.urls")),
    # Forum health: /forums/<slug>/health/ per forum, and the old /forum-health/ addresses
    # (the default forum), in one module because they share the "health" namespace.
    path("", include("health.urls")),
    path("search/", include("core.search.urls")),
    path("manage/", manage_views.chooser, name="manage_chooser"),
    path("manage/<slug:forum_slug>/", include((manage_urls.urlpatterns, "manage"))),
    path("notifications/", include("core.notifications.urls")),
    # allauth's confirmation page, in the language chosen at sign-up (members/views.py).
    re_path(r"^accounts/confirm-email/(?P<key>[-:\w]+)/$", member_views.email_confirm),
    path("accounts/", include("allauth.urls")),
    # The language switcher (Django's set_language, which also stores a member's choice).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("api/", include("forum.api")),
    path("api/token/", views.api_token, name="api_token"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/workshops.csv", views.open_data_workshops_csv, name="open_data_workshops_csv"),
    path(
        "open-data/workshops.json",
        views.open_data_file,
        {"name": "workshops.json"},
        name="open_data_workshops_json",
    ),
    path(
        "open-data/idea-links.csv",
        views.open_data_file,
        {"name": "idea-links.csv"},
        name="open_data_links_csv",
    ),
    path(
        "open-data/idea-links.json",
        views.open_data_file,
        {"name": "idea-links.json"},
        name="open_data_links_json",
    ),
    path(
        "open-data/events.csv",
        views.open_data_file,
        {"name": "events.csv"},
        name="open_data_events_csv",
    ),
    path(
        "open-data/events.json",
        views.open_data_file,
        {"name": "events.json"},
        name="open_data_events_json",
    ),
    path(
        "open-data/gender.csv",
        views.open_data_file,
        {"name": "gender.csv"},
        name="open_data_gender_csv",
    ),
    path(
        "open-data/gender.json",
        views.open_data_file,
        {"name": "gender.json"},
        name="open_data_gender_json",
    ),
    path(
        "open-data/schema/<slug:name>.schema.json",
        views.open_data_schema,
        name="open_data_schema",
    ),
    # Every file the worker writes (forum/open_data_files.py): workshops.json, events.jsonl ...
    re_path(
        r"^open-data/(?P<name>[-a-z]+\.(?:csv|json|jsonl))$",
        views.open_data_file,
        name="open_data_file",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # the embedded setup serves uploaded files itself (production: the web server)
    urlpatterns += static(settings.MEDIA_URL, views.media_serve, document_root=settings.MEDIA_ROOT)
