"""{% load forums %}: links to a forum's own pages."""

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def forum_home(forum) -> str:
    """The address of `forum`'s home page, /forums/<slug>/. Until that page's URL is
    registered ("forums:home"), the same address written out."""
    try:
        return forum.get_absolute_url()
    except NoReverseMatch:
        return f"/forums/{forum.slug}/"
