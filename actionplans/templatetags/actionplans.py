from django import template
from django.utils import formats

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.4567 -> "46 %" in the active language's number format; "–" for no data."""
    if share is None:
        return "–"
    return f"{formats.number_format(round(share * 100))} %"


@register.filter
def percent_value(share) -> int:
    return 0 if share is None else round(share * 100)


@register.simple_tag
def level_segments(by_level: dict, total: int) -> list[dict]:
    """Segments of a stacked bar (x and width in percent of the bar), one per level."""
    segments, x = [], 0.0
    for level, count in by_level.items():
        if not count or not total:
            continue
        width = 100 * count / total
        segments.append({"level": level, "x": round(x, 3), "width": round(width, 3)})
        x += width
    return segments


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
