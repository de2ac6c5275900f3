from django import template

from core.timezones import time_label

register = template.Library()


@register.filter
def in_zone(moment, owner) -> str:
    """{{ workshop.starts_at|in_zone:workshop }} → "12 May 2026, 16:00 EEST": the time in
    the zone of what it belongs to (a workshop, an event), named."""
    return time_label(moment, owner.zone)
