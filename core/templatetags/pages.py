"""The links of a paginated list: `{% page_link "page" 3 %}` gives this page's address with
its query string kept and one parameter (the list's page number) set, so that a page with
two lists (each with its own parameter) pages each without losing the other's place."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context, param: str, number: int) -> str:
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
