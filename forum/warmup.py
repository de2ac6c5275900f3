"""What a web process loads on its first requests, loaded when it starts instead.

Django imports the URL configuration (and with it the API and its schema library), compiles
the patterns for `reverse` in each language and reads each language's catalogues only when
a request first needs them: about 0.3 s of CPU for a worker's first request and 15 ms more
for the first request in each further language. A gunicorn worker that has just started
(after a deploy, or one that restarted) made the requests queued behind it pay for that;
under the registration storm (benchmarks/storm.py) the first seconds after a start were
slower than the rest for this reason alone.
"""

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    """Import the URL configuration and, in every language of the portal, load the
    catalogues and build the patterns `reverse` uses. Reads no database."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 -- built per language on first access
