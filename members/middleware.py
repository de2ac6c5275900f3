"""Two-factor log-in required of the accounts that hold the portal's keys: a forum's
secretariat and the site administrator open the back office (/manage/), the Django admin
(/admin/) and the secretariat's other pages (the membership queue, the events' review,
forum health's thresholds, a new forum) only once they have an authenticator app
(allauth.mfa), unless FORUM_REQUIRE_MFA_FOR_STAFF is off. Log-in itself then asks for the
code (allauth)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from members.permissions import must_use_two_factor

GUARDED_NAMESPACES = {"manage", "admin"}
GUARDED_VIEWS = {
    "manage_chooser",
    "members:membership_queue",
    "members:membership_decide",
    "events:queue",
    "events:decide",
    "health:thresholds",
    "health:forum_thresholds",
    "forums:create",
}


def _guarded(match) -> bool:
    return bool(set(match.namespaces) & GUARDED_NAMESPACES) or match.view_name in GUARDED_VIEWS


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            _guarded(request.resolver_match)
            and must_use_two_factor(request.user)
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _(
                    "Set up two-factor log-in first: the secretariat's and the site "
                    "administrator's pages open only to an account with an authenticator app. "
                    "Confirm your password, scan the QR code with the app, type the code it "
                    "shows and keep your recovery codes."
                ),
            )
            return redirect("mfa_activate_totp")
        return None
