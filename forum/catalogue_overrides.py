"""Strings of Django and of allauth whose translations the portal corrects in its own
catalogues (locale/<language>/LC_MESSAGES/django.po, read before the vendors': Django gives
settings.LOCALE_PATHS the last word). Marked here, used nowhere, so that `manage.py
catalogues` extracts them and keeps their corrected translations.

- The months as named inside a date (Django's "alt. month"): the Portuguese formats
  (forum/formats/pt/formats.py) use them, and the portal's Portuguese catalogue writes them
  in lower case, as Portuguese does ("1 de julho de 2027").
"""

from django.utils.translation import pgettext_lazy

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
