import os
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found
from django.views.i18n import set_language as django_set_language
from django.views.static import serve as static_serve
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound

from actionplans.models import ActionPlan
from core.i18n import language_supported
from core.kept_pages import kept_page
from forum import open_data as bulk
from forum import open_data_files as files
from forum.forum_views import coming_up
from forum.open_data_schemas import SCHEMAS
from members.models import Forum
from members.selectors import forum_at_a_glance
from members.services import member_language_set

# A forum's short name (members.Forum.slug): letters, digits, hyphens and underscores.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def not_found(request, exception):
    """Django's 404 page; under /api/ the API's own answer, JSON as the schema documents
    (an id that is not a number is refused by the API's router, before any view)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)


@kept_page("home")
def home(request):
    """The portal's home: its forums with what is coming up in each (the same queries
    however many forums), and the portal at a glance."""
    forums = list(Forum.objects.select_related("parent"))
    coming = coming_up(forums)
    return render(
        request,
        "home.html",
        {
            "glance": forum_at_a_glance(),
            "forums": [{"forum": forum, "coming": coming[forum.pk]} for forum in forums],
        },
    )


def set_language(request):
    """The language switcher: Django's set_language (a cookie, then back to the page), and
    for a logged-in member the choice also becomes their preference, for the next visit on
    another device and for their e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language_supported(language):
        member_language_set(member=request.user, language=language)
    return response


# --- Open data and the API -------------------------------------------------------------


def open_data(request):
    """Bulk downloads and a short data dictionary; the API is linked for finer queries."""

    return render(
        request,
        "forum/open_data.html",
        {
            "plans": ActionPlan.objects.select_related("forum").order_by(
                "-period_start", "title", "id"
            ),
            "dictionary": {
                table: fields
                for table, fields in bulk.DICTIONARY.items()
                if table != "gender" or settings.OPEN_DATA_GENDER
            },
            "gender": settings.OPEN_DATA_GENDER,
            "files": files.files_listed(),
            "schemas": sorted(SCHEMAS),
        },
    )


def _forum_asked(request) -> Forum | None:
    """`?forum=<slug>`: one forum's rows; an unknown or malformed short name is a 404."""
    slug = request.GET.get("forum", "")
    if not slug:
        return None
    if not SLUG.fullmatch(slug):
        raise Http404(_("No forum has this short name."))
    try:
        return Forum.objects.get(slug=slug)
    except Forum.DoesNotExist:
        raise Http404(_("No forum has this short name.")) from None


def _gender_published():
    """The gender aggregate is left out of open data with OPEN_DATA_GENDER=0: a 404."""
    if not settings.OPEN_DATA_GENDER:
        raise Http404(_("This forum does not publish the gender aggregate as open data."))


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class _OpenFile:
    """A file open for reading, for FileResponse: read in blocks, or sent whole by the
    server (its `fileno`, for sendfile); closed with the response, or quietly when the
    response is dropped unread."""

    _fd = -1

    def __init__(self, path):
        self._fd = os.open(path, os.O_RDONLY)
        self.name = str(path)

    def fileno(self) -> int:
        return self._fd

    def read(self, size: int = -1) -> bytes:
        return os.read(self._fd, size if size > 0 else 1 << 20)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    __del__ = close


@require_safe
def open_data_file(request, name: str):
    """An open-data file as the worker wrote it (forum/open_data_files.py), of every forum or
    of `?forum=<slug>`: no query when it is there; written now when it is missing. Gzip for
    a client that accepts it; 304 when the client's copy is current."""
    dump = files.DUMPS.get(name)
    if dump is None:
        raise Http404(_("There is no such open-data file."))
    if dump.gender:
        _gender_published()
    slug = request.GET.get("forum", "") or None
    if slug is not None and not SLUG.fullmatch(slug):
        raise Http404(_("No forum has this short name."))
    path = files.dump_path(name, slug)
    compressed = path.with_name(path.name + ".gz")
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    for _attempt in range(2):  # the worker may remove it between our look and our open
        try:
            handle = _OpenFile(compressed if gzipped else path)
            break
        except FileNotFoundError:
            forum = None
            if slug is not None:
                forum = Forum.objects.filter(slug=slug).first()
                if forum is None:
                    raise Http404(_("No forum has this short name.")) from None
            files.dump_write(dump, forum)
    else:
        raise Http404(_("There is no such open-data file."))
    facts = os.fstat(handle.fileno())
    etag = f'"{facts.st_size:x}-{facts.st_mtime_ns:x}{"-gz" if gzipped else ""}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(facts.st_mtime))
    if response is not None:
        handle.close()
    else:
        response = FileResponse(handle, content_type=dump.content_type)
        response["Content-Length"] = facts.st_size
        response["Content-Disposition"] = f'attachment; filename="{dump.download_name(slug)}"'
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(facts.st_mtime)
    response["Cache-Control"] = "public, max-age=300"
    response["Vary"] = "Accept-Encoding"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_workshops_csv(request):
    table = "contributions" if request.GET.get("table") == "contributions" else "workshops"
    return open_data_file(request, f"{table}.csv")


@require_safe
@cache_control(public=True, max_age=3600)
def open_data_schema(request, name: str):
    """The JSON Schema of an open-data JSON file."""
    schema = SCHEMAS.get(name)
    if schema is None:
        raise Http404(_("There is no such schema."))
    response = JsonResponse(schema, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/schema+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _short_name() -> str:
    """The name under the icon on a home screen: SITE_SHORT_NAME, or the site's name when it
    is short, or its initials ("Open Government Forum": "OGF")."""
    name = settings.SITE_SHORT_NAME or settings.SITE_NAME
    if len(name) <= 12:
        return name
    return "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()[:12] or name[:12]


@require_safe
@cache_control(public=True, max_age=3600)
def web_manifest(request):
    """The web app manifest, so that a member can put the portal on a phone's home screen.
    In the visitor's language; no offline mode is promised (there is no service worker)."""
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": _short_name(),
        "description": _(
            "Co-create the open-government action plan, take a seat in workshops and follow "
            "every commitment."
        ),
        "lang": request.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Vary"] = "Accept-Language, Cookie"
    return response


@login_required
def api_token(request):
    """A member's API token: shown, created, or replaced by a new one (the old one stops
    working at once)."""

    if request.method == "POST":
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            Token.objects.create(user=request.user)
        messages.success(request, _("Your new API token is ready; the old one no longer works."))
        return redirect("api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "forum/api_token.html", {"token": token})


def media_serve(request, path, document_root=None):
    """Uploaded files in the embedded setup (DEBUG), as Django's static `serve`, except that
    a name the file system refuses (too long, a NUL byte) is not found (404), not an error
    of the server."""
    try:
        return static_serve(request, path, document_root=document_root)
    except (OSError, ValueError) as error:
        raise Http404(path) from error
