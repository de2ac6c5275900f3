"""Strings of Django and of allauth whose translations the portal corrects in its own
catalogues (locale/<language>/LC_MESSAGES/django.po, read before the vendors': Django gives
settings.LOCALE_PATHS the last word). Marked here, used nowhere, so that `manage.py
catalogues` extracts them and keeps their corrected translations.

- The months as named inside a date (Django's "alt. month"): the Portuguese formats
  (forum/formats/pt/formats.py) use them, and the portal's Portuguese catalogue writes them
  in lower case, as Portuguese does ("1 de julho de 2027").
- allauth's strings whose vendor translations are wrong in one of the portal's languages
  (a wrong word, Title Case copied from English, a typo): the portal's catalogues give the
  right ones, and the same text as allauth's where allauth's is right.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS_INSIDE_A_DATE = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]

ALLAUTH_CORRECTED = [
    gettext_noop("Hello from %(site_name)s!"),  # sr: "Хвала од" (thanks from); pl, pt
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),  # pt: "utilizar"
    gettext_noop("Please Confirm Your Email Address"),  # uk: Title Case; pl: "adresy"; sr
    gettext_noop("Password Reset Email"),  # uk: Title Case
    gettext_noop("Verify Your Email Address"),  # uk: Title Case; el: "τη διεύθυνση"
    gettext_noop("Confirm Email Address"),  # el: "διεύθυνσης"; uk: Title Case
    gettext_noop("Email Addresses"),  # el: singular
    gettext_noop("The email address and/or password you specified are not correct."),  # el
    gettext_noop("Remember Me"),  # el: "Αυτόματη Σύνδεση"; uk: Title Case
    gettext_noop("Password Reset"),  # el, uk: Title Case
    gettext_noop("Change Password"),  # uk: Title Case
    gettext_noop("Set Password"),  # el, uk: Title Case
    gettext_noop("Reset My Password"),  # uk: Title Case
    gettext_noop("Make Primary"),  # el: Title Case
    gettext_noop("Re-send Verification"),  # el, uk: Title Case; pt: "Reenviar"
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),  # sr, uk
    gettext_noop("You must type the same password each time."),  # pt: "Tem de"
    gettext_noop("Sign In"),  # pl: "Zaloguj się"
    gettext_noop("Email"),  # the log-in's label: el, uk untranslated; sr "И-мејл" (е-пошта)
]
