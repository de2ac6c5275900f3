from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from forum import views

urlpatterns = [
    path("", views.home, name="home"),
    path("members/", include("members.urls")),
    path("workshops/", include("cocreation.urls")),
    path("action-plans/", include("actionplans.urls")),
    path("events/", include("events.urls")),
    path("notifications/", include("forum.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    # The language switcher (Django's set_language, which also stores a member's choice).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
