from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.urls import register_converter
from django.utils.module_loading import autodiscover_modules

from core.converters import TokenConverter
from core.kept_pages import writes_note_install, writes_note_install_all

# The modules in which an app registers its parts with the floors below it: what it holds
# on members (personal_data), the notices it sends (notices), the sections it adds to lower
# apps' pages and to the plan's PDF (sections), what can be found (searchable), and its
# Celery tasks (tasks), which services queue by name (core.queue) in every process, not only
# in workers.
REGISTERING_MODULES = (
    "notices",
    "personal_data",
    "searchable",
    "sections",
    "tasks",
    "translatable",
)


class CoreConfig(AppConfig):
    """The ground floor. Once every model is loaded, it imports each app's registering
    modules, so that the registries are complete before the first request or task."""

    name = "core"

    def ready(self):
        # Every write starts a new generation of kept pages (core/kept_pages.py).
        connection_created.connect(writes_note_install, dispatch_uid="kept-pages-writes")
        writes_note_install_all()
        register_converter(TokenConverter, "token")
        autodiscover_modules(*REGISTERING_MODULES)
