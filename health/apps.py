from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """OGP's minimum requirements measured from the portal's own records: forum health and
    participation by stakeholder group."""

    name = "health"
    label = "standards"
    verbose_name = _("Forum health")

    def ready(self):
        from health.stored import records_follow  # noqa: PLC0415 -- once the models are loaded

        records_follow()
