from django import template

from events.services import event_time_label

register = template.Library()


@register.filter
def in_event_zone(moment, event) -> str:
    """{{ event.starts_at|in_event_zone:event }} → "12 May 2026, 16:00 EEST"."""
    return event_time_label(event, moment)
