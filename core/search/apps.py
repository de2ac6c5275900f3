from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search across what the apps above make searchable (core/search/registry.py)."""

    name = "core.search"
    label = "search"
    verbose_name = _("Search")
