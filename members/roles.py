"""The roles. Secretariat and facilitator are held per forum (members.ForumRole); the Django
groups of the same names only give the administration's permissions. Labels are translated."""

from django.utils.translation import gettext_lazy as _

MEMBER = "member"
FACILITATOR = "facilitator"
SECRETARIAT = "secretariat"

ROLE_LABELS = {
    MEMBER: _("Member"),
    FACILITATOR: _("Facilitator"),
    SECRETARIAT: _("Secretariat"),
}


# What each role may do in the administration (app label, model, actions). Kept in sync
# by members.apps on every migrate.
ROLE_PERMISSIONS = {
    SECRETARIAT: [
        ("members", "sector", ["add", "change", "delete", "view"]),
        ("members", "organisation", ["add", "change", "delete", "view"]),
        ("members", "forumseat", ["add", "change", "delete", "view"]),
        ("members", "user", ["change", "view"]),
        ("cocreation", "cocreationprocess", ["add", "change", "delete", "view"]),
        ("cocreation", "theme", ["add", "change", "delete", "view"]),
        ("cocreation", "workshop", ["add", "change", "view"]),
        ("cocreation", "outreachattachment", ["add", "change", "delete", "view"]),
        ("cocreation", "registration", ["view"]),
        ("events", "campaign", ["add", "change", "delete", "view"]),
        ("events", "event", ["change", "view"]),
        ("events", "eventregistration", ["view"]),
        ("notifications", "notificationtemplate", ["add", "change", "delete", "view"]),
        ("notifications", "remindersetting", ["change", "view"]),
        ("notifications", "notification", ["view"]),
        ("standards", "healththresholds", ["change", "view"]),
    ],
    FACILITATOR: [],
    MEMBER: [],
}
