"""The one error base. Every refusal a service raises derives from `ForumError` and carries
a message for people: pages show it as a message or beside the form, the API answers it
with `detail` (`core.api_base.exception_handler`), the admin shows it above the form
(`core.admin.ServiceErrorsAdmin`). `NotAllowed` says the person may not do this at all
(403); any other refusal says it cannot be done now (400)."""

from django.utils.translation import gettext as _


class ForumError(Exception):
    """A refusal; `str(error)` is the message for the person acting."""

    status_code = 400

    def __init__(self, message="", *args):
        super().__init__(message, *args)
        self.message = str(message)

    def __str__(self):
        return self.message


class NotAllowed(ForumError):
    """The person acting may not do this (a permission the service checked itself)."""

    status_code = 403


def require(allowed, message="") -> None:
    """Raise `NotAllowed` unless `allowed`. `allowed` is a predicate's answer: a boolean, or
    an (allowed, reason) pair as the permission modules give for members."""
    if isinstance(allowed, tuple):
        allowed, message = allowed[0], allowed[1] or message
    if not allowed:
        raise NotAllowed(message or _("You are not allowed to do this."))
