from django.shortcuts import render
from django.utils.translation import gettext as _

from core.search import selectors
from core.search.forms import MAX_QUERY, MIN_QUERY, SearchForm
from core.search.text import WORD


def search_page(request):
    """/search/?q=...&kind=...&forum=...&language=...&from=...&to=...&page=...: what the
    visitor may open, grouped by kind. A filter that is not valid (a forum that does not
    exist, a date out of range) gets the page with the reason and no results (400); a query
    too short to search gets the page with a hint."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": None, "message": "", "text": "", "cap": selectors.CAP}
    status = 200
    if not form.is_bound:
        return render(request, "search/results.html", context)
    if not form.is_valid():
        context["message"] = _("Correct the filters below to search.")
        return render(request, "search/results.html", context, status=400)
    text = form.cleaned_data["q"]
    context["text"] = text
    if not text:
        context["message"] = _("Type what you are looking for.")
    elif not WORD.search(text):
        context["message"] = _("Type words or numbers: signs alone find nothing.")
    elif len(text) < MIN_QUERY:
        context["message"] = _("Type at least two letters.")
    else:
        if form.cut:
            context["message"] = _("Only the first %(n)s characters were searched.") % {
                "n": MAX_QUERY
            }
        filters = selectors.Filters(
            kind=form.cleaned_data["kind"],
            forum_id=form.forum_id(),
            language=form.cleaned_data["language"],
            date_from=form.cleaned_data["from"],
            date_to=form.cleaned_data["to"],
        )
        context["results"] = selectors.search(
            text=text, user=request.user, filters=filters, page=request.GET.get("page") or 1
        )
        context["filtered"] = any(
            form.cleaned_data[name] for name in ("kind", "forum", "language", "from", "to")
        )
    return render(request, "search/results.html", context, status=status)
