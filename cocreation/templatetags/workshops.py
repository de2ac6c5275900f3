from django import template

from cocreation.services import workshop_time_label

register = template.Library()


@register.filter
def in_workshop_zone(moment, workshop) -> str:
    """{{ workshop.starts_at|in_workshop_zone:workshop }} → "Dec. 4, 2026, 4 p.m. EET"."""
    return workshop_time_label(workshop, moment)
