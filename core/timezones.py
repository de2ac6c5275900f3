"""Times shown in the zone of what they belong to (a workshop, an event), named."""

import zoneinfo
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import formats, translation


def time_label(moment: datetime, zone: ZoneInfo, language: str | None = None) -> str:
    """E.g. "12 March 2027, 16:00 EET": the date and time in `zone`, formatted for
    `language` (the active one by default), with the zone's abbreviation."""
    local = moment.astimezone(zone)
    with translation.override(language or translation.get_language()):
        return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


@cache
def _zones_by_country() -> dict[str, str]:
    """The first (most populous) zone of each country, from the IANA table the system's or
    the tzdata package's database ships."""
    zones: dict[str, str] = {}
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone.tab"
        if table.exists():
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    country, _coordinates, zone, *_comment = line.split("\t")
                    zones.setdefault(country, zone)
            break
    return zones


def zone_of_country(code: str) -> str | None:
    """A likely time zone for a country (ISO 3166 code): where a new workshop of a city's
    forum takes place, until someone says otherwise."""
    return _zones_by_country().get(str(code or "").upper())


@cache
def zone_names() -> frozenset[str]:
    """The names of the time zones the system knows, read once per process: listing them
    walks the zone files (25 ms or more), and every workshop or event form, and every check
    of one, asks."""
    return frozenset(zoneinfo.available_timezones())


@cache
def zone_choices() -> list[tuple[str, str]]:
    """The zones for a form's choice, by name, with spaces for underscores."""
    return [(name, name.replace("_", " ")) for name in sorted(zone_names())]
