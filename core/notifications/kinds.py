"""The kinds of notification, declared by the apps that send them.

Each app declares its kinds in its own `notices.py` with `notice_kind_register` and uses
the returned kind when it sends. The notifications' models take their choices from this
registry at run time (a callable), so a new kind needs no migration here. Essential kinds
(account, registrations, changes to what one registered for) always go by e-mail; members
turn the others off on their preferences page.
"""

import sys
from collections.abc import Callable

from django.apps import apps


class NoticeKind(str):
    """A kind's value (what the rows store), with its label and whether it is essential."""

    label: str
    essential: bool
    module: str
    attachments: Callable | None

    def __new__(cls, value: str, label, essential: bool, module: str = "", attachments=None):
        kind = super().__new__(cls, value)
        kind.label = label
        kind.essential = essential
        kind.module = module
        kind.attachments = attachments
        return kind

    @property
    def value(self) -> str:
        return str(self)


_kinds: dict[str, NoticeKind] = {}


def notice_kind_register(
    value: str, label, *, essential: bool = False, attachments: Callable | None = None
) -> NoticeKind:
    """Declare a kind of notification; its texts are the templates
    `notifications/kinds/<value>.subject.txt` and `.body.txt` (or the secretariat's own).
    `attachments(about, recipient)`, if given, returns the files its e-mail carries, as
    (filename, content, MIME type): a calendar entry for a seat, say."""
    kind = NoticeKind(
        value, label, essential, sys._getframe(1).f_globals.get("__name__", ""), attachments
    )
    _kinds[value] = kind
    return kind


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
    return [kind for kind in notice_kinds() if not kind.essential]
