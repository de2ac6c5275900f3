"""The notifications' own kind: the digest that gathers what a member chose to read daily
or weekly. It is not on the preferences page (its items are); its one-click unsubscribe
turns off the kinds it carried."""

from django.utils.translation import gettext_lazy as _

from core.notifications.kinds import notice_kind_register

DIGEST = notice_kind_register("digest", _("Your digest of notifications"), choosable=False)
