from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from core.kept_pages import kept_page_variant_register  # noqa: PLC0415
        from forum import cache_signals  # noqa: PLC0415 -- models are loaded only now
        from forum.context_processors import header_variant  # noqa: PLC0415
        from forum.open_data_files import records_follow  # noqa: PLC0415

        cache_signals.connect()
        records_follow()
        kept_page_variant_register(header_variant)
