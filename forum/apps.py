from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from forum import cache_signals  # noqa: PLC0415 -- models are loaded only now

        cache_signals.connect()
