"""The forum's roles, held as Django groups. Names are data; labels are translated."""

from django.utils.translation import gettext_lazy as _

MEMBER = "member"
FACILITATOR = "facilitator"
SECRETARIAT = "secretariat"

ROLE_LABELS = {
    MEMBER: _("Member"),
    FACILITATOR: _("Facilitator"),
    SECRETARIAT: _("Secretariat"),
}
