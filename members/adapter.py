"""allauth's e-mails and the pages around sign-up, as the portal's own: in the language the
person chose (their preferred language, asked at sign-up), signed with the site's name
(SITE_NAME, where allauth would greet "Hello from 127.0.0.1:8104"), and with links on the
portal's address (core/site.py: SITE_URL in production, the address serving in development)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from core.i18n import language_cookie_set, language_supported
from core.site import portal_site, rebased_url
from members.models import User, email_is


def _language_of(email: str, user) -> str:
    if user is None:
        user = User.objects.filter(email_is(email)).only("preferred_language").first()
    language = getattr(user, "preferred_language", "")
    return language if language_supported(language) else translation.get_language()


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **{
                key: rebased_url(value) if key.endswith("_url") and value else value
                for key, value in context.items()
            },
            "current_site": portal_site(),
        }
        with translation.override(_language_of(email, context.get("user"))):
            super().send_mail(template_prefix, email, context)

    def respond_email_verification_sent(self, request, user):
        """After sign-up (or a log-in before verifying): the next pages in the language the
        person chose, as the language switcher would keep it."""
        response = super().respond_email_verification_sent(request, user)
        language = getattr(user, "preferred_language", "")
        if language_supported(language):
            language_cookie_set(response, language)
        return response
