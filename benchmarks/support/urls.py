"""The portal's URLs plus /bench/bare/: a Django view that returns a few bytes without
touching the database or a template, behind the same middleware as every page."""

from django.http import HttpResponse
from django.urls import path

from forum.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
