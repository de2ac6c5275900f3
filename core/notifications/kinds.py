"""The kinds of notification, declared by the apps that send them.

Each app declares its kinds in its own `notices.py` with `notice_kind_register` and uses
the returned kind when it sends. The notifications' models take their choices from this
registry at run time (a callable), so a new kind needs no migration here. Essential kinds
(account, registrations, changes to what one registered for) always go by e-mail at once;
for the others each member chooses a rhythm on their preferences page (off, at once, in a
daily or a weekly digest), starting from the kind's `default_rhythm`.

A digest groups its items by forum: the apps say how an object a notice is about leads to
its forum's name (`notice_forum_register`), since core cannot know their models.
"""

import sys
from collections.abc import Callable

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rhythm(models.TextChoices):
    """How often a member wants e-mail of a kind."""

    OFF = "off", _("Off (only on the site)")
    AT_ONCE = "at_once", _("At once")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")


class NoticeKind(str):
    """A kind's value (what the rows store), with its label and whether it is essential."""

    label: str
    essential: bool
    module: str
    attachments: Callable | None
    default_rhythm: str
    choosable: bool
    link: Callable | None

    def __new__(
        cls,
        value: str,
        label,
        essential: bool,
        module: str = "",
        attachments=None,
        default_rhythm: str = Rhythm.AT_ONCE,
        choosable: bool = True,
        link: Callable | None = None,
    ):
        kind = super().__new__(cls, value)
        kind.label = label
        kind.essential = essential
        kind.module = module
        kind.attachments = attachments
        kind.default_rhythm = Rhythm.AT_ONCE if essential else Rhythm(default_rhythm)
        kind.choosable = choosable
        kind.link = link
        return kind

    @property
    def value(self) -> str:
        return str(self)


_kinds: dict[str, NoticeKind] = {}


def notice_kind_register(
    value: str,
    label,
    *,
    essential: bool = False,
    attachments: Callable | None = None,
    default_rhythm: str = Rhythm.AT_ONCE,
    choosable: bool = True,
    link: Callable | None = None,
) -> NoticeKind:
    """Declare a kind of notification; its texts are the templates
    `notifications/kinds/<value>.subject.txt` and `.body.txt` (or the secretariat's own).
    `attachments(about, recipient)`, if given, returns the files its e-mail carries, as
    (filename, content, MIME type): a calendar entry for a seat, say. `default_rhythm` is
    how its e-mail goes to a member who chose nothing (essential kinds: always at once).
    `choosable=False` keeps it off the preferences page (the digest itself). `link(about)`,
    if given, makes the e-mail's link as it goes (absolute), for a link that must not be
    stored in the outbox: an invitation's secret one."""
    kind = NoticeKind(
        value,
        label,
        essential,
        sys._getframe(1).f_globals.get("__name__", ""),
        attachments,
        default_rhythm,
        choosable,
        link,
    )
    _kinds[value] = kind
    return kind


# model label ("cocreation.workshop") -> lookup path from it to its forum's name
_forum_paths: dict[str, str] = {}


def notice_forum_register(model, path: str) -> None:
    """Say how a notice about a `model` object leads to its forum's name, as a lookup path
    (`"process__forum__name"`): a digest groups its items by forum with one query per model."""
    _forum_paths[model._meta.label_lower] = path


def notice_forum_path(model) -> str | None:
    return _forum_paths.get(model._meta.label_lower)


def notice_kinds() -> list[NoticeKind]:
    """Every kind declared, the apps' own ones in the order of INSTALLED_APPS."""
    apps.check_apps_ready()  # every app's notices.py is imported when the apps are ready
    order = [config.name for config in apps.get_app_configs()]

    def app_position(kind: NoticeKind) -> int:
        config = apps.get_containing_app_config(kind.module)
        return order.index(config.name) if config is not None else len(order)

    return sorted(_kinds.values(), key=app_position)  # stable: declaration order within an app


def kind_choices() -> list[tuple[str, str]]:
    """The choices of the notifications' `kind` fields, read at run time."""
    return [(kind.value, kind.label) for kind in _kinds.values()]


def notice_kind_of(value: str) -> NoticeKind | None:
    return _kinds.get(value)


def kind_label(value: str) -> str:
    kind = _kinds.get(value)
    return str(kind.label) if kind is not None else value


def is_essential(kind: str) -> bool:
    declared = _kinds.get(str(kind))
    return declared is not None and declared.essential


def optional_kinds() -> list[NoticeKind]:
    """The kinds a member chooses a rhythm for on the preferences page."""
    return [kind for kind in notice_kinds() if not kind.essential and kind.choosable]
