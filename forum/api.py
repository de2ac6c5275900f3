"""The public API: /api/v1/ (each app's viewsets in its api.py), the OpenAPI schema at
/api/schema/ and its documentation at /api/docs/. What every endpoint shares is in
core/api_base.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from actionplans.api import ActionPlanViewSet, CommitmentViewSet, MilestoneViewSet
from cocreation.api import ContributionViewSet, ProcessViewSet, WorkshopViewSet
from core.search.api import SearchViewSet
from events.api import EventViewSet
from members.api import OrganisationViewSet, SectorViewSet


class Router(routers.DefaultRouter):
    """Every object of the API is found by its id, a number: anything else in its place
    ("abc", "-1", a NUL byte) is a 404 of the router, before a view makes a query of it."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        name = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        value = getattr(viewset, "lookup_value_regex", "[0-9]+")
        return f"(?P<{lookup_prefix}{name}>{value})"


router = Router()
router.register("sectors", SectorViewSet, basename="sector")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("processes", ProcessViewSet, basename="process")
router.register("workshops", WorkshopViewSet, basename="workshop")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("action-plans", ActionPlanViewSet, basename="actionplan")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("events", EventViewSet, basename="event")
router.register("search", SearchViewSet, basename="search")


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's files, its settings script served separately: no
    inline script or style, nothing from a CDN (the CSP holds)."""

    template_name = "forum/api_docs.html"


urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
]
