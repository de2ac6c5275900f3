"""The portal's address in the links it sends out (e-mails, calendar entries): SITE_URL in
production; in development with SITE_URL unset, the address actually serving, so that a
link works whatever port `runserver` was started on (SITE_URL's default names port 8000).

The address serving is the last request's, kept by `ServingAddressMiddleware`; before any
request, or in another process (a Celery worker), it is SITE_URL's default."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

_serving = {"address": ""}


def site_url() -> str:
    """The portal's address, without a trailing slash."""
    if settings.DEBUG and settings.SITE_URL_FROM_REQUESTS and _serving["address"]:
        return _serving["address"]
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` on the portal's address (a full URL is left as it is)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def rebased_url(url: str) -> str:
    """A full URL built from a request (allauth's links), moved to the portal's address."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mails and pages call the current site: the portal's name and
    address (without django.contrib.sites it would be the request's host for both)."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.SITE_NAME, domain=urlsplit(site_url()).netloc)


class ServingAddressMiddleware:
    """In development with SITE_URL unset, remember the address this server answers on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and settings.SITE_URL_FROM_REQUESTS:
            _serving["address"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
