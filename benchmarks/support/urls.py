"""The portal's URLs plus three floors behind the same middleware as every page:
/bench/bare/, a Django view that returns a few bytes without touching the database or a
template (the floor every page's share is measured against); /bench/base/, an empty page
in the portal's base template (its header, menus and footer, as the logged-in member sees
them); and /bench/api/, an empty answer of the API (its authentication, throttling and JSON
rendering). The two last say how much of a page's time its content leaves to the rest."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from forum.urls import urlpatterns as portal_urlpatterns

EMPTY_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Empty{% endblock %}{% block content %}{% endblock %}'
)


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


def base(request):
    return HttpResponse(EMPTY_PAGE.render({}, request))


class EmptyAnswer(APIView):
    def get(self, request):
        return Response({})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/base/", base),
    path("bench/api/", EmptyAnswer.as_view()),
    *portal_urlpatterns,
]
