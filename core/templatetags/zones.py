from datetime import datetime

from django import template
from django.utils import timezone

from core.timezones import time_label

register = template.Library()


@register.filter
def in_zone(moment, owner) -> str:
    """{{ workshop.starts_at|in_zone:workshop }} → "12 May 2026, 16:00 EEST": the time in
    the zone of what it belongs to (a workshop, an event), named."""
    return time_label(moment, owner.zone)


@register.filter
def machine_time(moment: datetime | None) -> str:
    """<time datetime="{{ comment.created_at|machine_time }}"> → "2026-05-12T13:00:00+00:00":
    a moment as HTML's datetime attribute takes it, to the second. Django's |date:'c' keeps
    the microseconds, six digits, where HTML allows three at most."""
    if not moment:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.isoformat(timespec="seconds")
