"""Showing machine translations (core/translation/): `{% translated obj "field" %}` is the
field's text in the reader's language when a translation was attached to `obj`
(`translations_attach`), else as written; `{% translation_note obj "title" "text" %}`
says that it was machine-translated, from which language, with the original one click
away (a <details>: no JavaScript needed)."""

from django import template
from django.utils.translation import get_language_info

register = template.Library()


def _translation(obj, field):
    return (getattr(obj, "machine_translations", None) or {}).get(field)


@register.simple_tag
def translated(obj, field: str):
    found = _translation(obj, field)
    return found[0] if found else getattr(obj, field, "")


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.inclusion_tag("includes/machine_translation_note.html")
def translation_note(obj, *fields, inline: bool = False):
    found = [(field, _translation(obj, field)) for field in fields]
    translated_fields = [(field, value) for field, value in found if value]
    if not translated_fields:
        return {"shown": False}
    source = translated_fields[0][1][1]
    return {
        "shown": True,
        "inline": inline,
        "source": source,
        "source_name": language_name(source),
        "originals": [getattr(obj, field, "") for field, _value in translated_fields],
    }
