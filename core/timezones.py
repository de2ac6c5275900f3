"""Times shown in the zone of what they belong to (a workshop, an event), named."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, translation


def time_label(moment: datetime, zone: ZoneInfo, language: str | None = None) -> str:
    """E.g. "12 March 2027, 16:00 EET": the date and time in `zone`, formatted for
    `language` (the active one by default), with the zone's abbreviation."""
    local = moment.astimezone(zone)
    with translation.override(language or translation.get_language()):
        return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"
