"""Two-factor log-in required of the accounts that hold the portal's keys: a forum's
secretariat and the site administrator open the back office (/manage/) and the Django admin
(/admin/) only once they have an authenticator app (allauth.mfa), unless
FORUM_REQUIRE_MFA_FOR_STAFF is off. Log-in itself then asks for the code (allauth)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from members.permissions import must_use_two_factor


def _guarded(path: str) -> bool:
    return path.startswith((reverse("manage_chooser"), reverse("admin:index")))


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            _guarded(request.path)
            and must_use_two_factor(request.user)
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _(
                    "Set up two-factor log-in first: the secretariat and the site "
                    "administrator need an authenticator app to open the back office and the "
                    "administration site. Confirm your password, scan the QR code with the app, "
                    "type the code it shows and keep your recovery codes."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
