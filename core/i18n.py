"""Which language a page is in, and how the choice is kept.

The order, first match wins:

1. the language cookie, set by the language switcher (a visitor's explicit choice; for a
   logged-in member the switcher also stores it as their preference, so the two agree);
2. a logged-in member's ``preferred_language`` (chosen at sign-up, changed in the profile);
3. the browser's ``Accept-Language`` header;
4. ``settings.LANGUAGE_CODE``.

Django's ``LocaleMiddleware`` does 1, 3 and 4 before the user is known;
``MemberLanguageMiddleware``, placed after the authentication middleware, puts 2 in its place.
The cookie is what keeps the choice from page to page (there are no language prefixes in URLs).
E-mails do not follow this: they are rendered in the recipient's preferred language
(core/notifications/services.py).
"""

from django.conf import settings
from django.utils import translation


def language_supported(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES)


def language_cookie_set(response, language: str) -> None:
    """Remember a language choice in the browser, as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class MemberLanguageMiddleware:
    """Activate a logged-in member's preferred language unless the language cookie says
    otherwise (see the module's docstring for the whole order)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            user is not None
            and user.is_authenticated
            and not language_supported(chosen)
            and language_supported(user.preferred_language)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
