"""What happens elsewhere when a member's change of organisation is approved.

The organisation decides the member's stakeholder group, and the apps above members hold
what depends on it (co-creation's workshop seats are taken from a group's quota). members
cannot import them: each registers a hook from its AppConfig.ready(), as the apps register
their personal data (core/personal_data.py). The hooks run inside the approval's
transaction, after the member's organisation has changed: a hook that fails undoes the
approval."""

from collections.abc import Callable

_hooks: list[Callable[..., None]] = []


def organisation_change_hook_register(hook: Callable[..., None]) -> None:
    """Register `hook(*, member, before, after, by)`: `before` and `after` are the member's
    organisations (`before` may be None), `by` the secretariat member who approved."""
    if hook not in _hooks:
        _hooks.append(hook)


def organisation_change_hooks() -> list[Callable[..., None]]:
    return list(_hooks)
