"""The Django admin's log-in, held to the portal's own log-in rate limits (allauth's): its
"login" limit on every attempt, and its "login_failed" limits, per address and per e-mail
address, counted together with the failures on /accounts/login/. Without them, the admin's
form was a way around the portal's limits to guess the site administrator's password."""

from allauth.account.adapter import get_adapter
from allauth.decorators import rate_limit
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm


class RateLimitedAdminLoginForm(AdminAuthenticationForm):
    """Authenticates as the portal's log-in does: through allauth's adapter, which refuses
    ("Too many failed login attempts") past the limits and counts each failure."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def admin_login_rate_limit(site: AdminSite) -> None:
    """Give `site`'s log-in the portal's rate limits (before its URLs are read)."""
    site.login_form = RateLimitedAdminLoginForm
    site.login = rate_limit(action="login")(site.login)
