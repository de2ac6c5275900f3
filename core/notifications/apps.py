from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "core.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core.notifications.reminders import reminder_settings_ensure  # noqa: PLC0415 -- models are loaded only now

        post_migrate.connect(
            reminder_settings_ensure, sender=self, dispatch_uid="notifications.reminder_settings"
        )
