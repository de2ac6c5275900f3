from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search across what the apps above make searchable (core/search/registry.py)."""

    name = "core.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        post_migrate.connect(_public_fill, sender=self, dispatch_uid="search.public_fill")


def _public_fill(sender=None, using="default", apps=None, **kwargs):
    """After migrate: the entries indexed before `public` existed (its migration leaves them
    unknown) are asked, once, whether anonymous visitors may open their rows; an entry of
    unknown state is never found by them meanwhile. Nothing when the database was migrated
    back to before the field."""
    from core.search.models import SearchEntry  # noqa: PLC0415 -- models are loaded only now
    from core.search.services import search_public_refresh  # noqa: PLC0415

    if apps is not None:
        try:
            migrated = apps.get_model("search", "SearchEntry")
        except LookupError:
            return
        if "public" not in {field.name for field in migrated._meta.get_fields()}:
            return
    if SearchEntry.objects.using(using).filter(public__isnull=True).exists():
        search_public_refresh()
