from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DatesWithinYears
from core.search.registry import search_forums, searchable_kinds
from core.search.text import WORD

MAX_QUERY = 200  # characters of a query read; the rest is left out, and the page says so
MIN_QUERY = 2


class SearchForm(DatesWithinYears, forms.Form):
    """The query string of /search/: q, kind, forum (its short name, or its number),
    language, from, to. The page reads `page` itself."""

    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    kind = forms.ChoiceField(label=pgettext_lazy("search filter", "Kind"), required=False)
    forum = forms.ChoiceField(label=_("Forum"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else None
        forums = search_forums()
        self.forum_ids = {}
        if forums is not None:
            rows = list(forums.order_by("name", "pk").values_list("pk", "slug", "name"))
            self.forum_ids = {slug: pk for pk, slug, _name in rows}
            by_pk = {str(pk): slug for pk, slug, _name in rows}
            if data is not None and data.get("forum") in by_pk:  # a number: its short name
                data["forum"] = by_pk[data["forum"]]
        else:
            rows = []
        super().__init__(data, **kwargs)
        # A NUL byte in a query is taken out (clean_q), not refused.
        self.fields["q"].validators = [
            v
            for v in self.fields["q"].validators
            if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        everything = [("", pgettext_lazy("search filter", "All"))]
        self.fields["kind"].choices = everything + [(s.kind, s.label) for s in searchable_kinds()]
        self.fields["forum"].choices = everything + [(slug, name) for _pk, slug, name in rows]
        self.fields["language"].choices = everything + list(settings.LANGUAGES)
        self.fields["from"] = forms.DateField(
            label=pgettext_lazy("dates", "From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.fields["to"] = forms.DateField(
            label=pgettext_lazy("dates", "To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )

    def clean_q(self):
        text = self.cleaned_data["q"].replace("\x00", " ")
        self.cut = len(text) > MAX_QUERY
        return text[:MAX_QUERY].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date must not be before the start date."))
        return cleaned

    def forum_id(self) -> int | None:
        return self.forum_ids.get(self.cleaned_data.get("forum") or "")


def query_read(raw: str) -> tuple[str, bool]:
    """A query as the search reads it (the API's; the page's form does the same in
    `clean_q`): NUL bytes taken out, at most MAX_QUERY characters, trimmed; and whether it
    was cut."""
    text = (raw or "").replace("\x00", " ").strip()
    return text[:MAX_QUERY].strip(), len(text) > MAX_QUERY


def query_refusal(text: str) -> str:
    """Why the query `text` (as read) is not searched, for people; empty when it is: the
    page's hints (core/search/views.py), the API's 400."""
    if not text:
        return str(_("Type what you are looking for."))
    if not WORD.search(text):
        return str(_("Type words or numbers: signs alone find nothing."))
    if len(text) < MIN_QUERY:
        return str(_("Type at least two letters."))
    return ""
