"""The notice forum health sends: the secretariat's weekly digest."""

from django.utils.translation import gettext_lazy as _

from core.notifications.kinds import notice_kind_register

HEALTH_DIGEST = notice_kind_register(
    "health_digest", _("Weekly digest of what is at risk in the forum's health (secretariat)")
)
