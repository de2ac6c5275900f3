from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    """Machine translation of what members write (core/translation/services.py)."""

    name = "core.translation"
    label = "translation"
    verbose_name = _("Machine translation")

    def ready(self):
        from core.translation import checks  # noqa: F401, PLC0415 -- registers the system check
