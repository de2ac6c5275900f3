"""Reading machine translations for a page: one query for every object it shows."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from core.translation.backends import backend_name
from core.translation.models import MachineTranslation
from core.translation.registry import source_hash, translatable_fields


def reader_language(language: str | None) -> str | None:
    """The language a reader gets translations into (the page's), or None when it is not
    one of the portal's languages or machine translation is off."""
    if backend_name() == "none" or not language:
        return None
    code = language.lower().split("-")[0]
    return code if code in {code for code, _name in settings.LANGUAGES} else None


def translations_attach(*, objects, language: str | None) -> list[tuple]:
    """Give each of `objects` (model instances of any registered model, mixed) its
    translations into `language` as `obj.machine_translations`: {field: (text, source
    language)}, for the fields whose current text has one. One query for all of them (none
    when translation is off). Returns what is missing, as (object, field) pairs, for
    `translations_request`.

    The attribute is part of what was loaded with the object, so kept fragments
    (core.fingerprints) change when a translation arrives."""
    language = reader_language(language)
    objects = [obj for obj in objects if obj is not None and translatable_fields(obj)]
    for obj in objects:
        obj.machine_translations = {}
    if language is None or not objects:
        return []
    by_type: dict[int, dict[int, object]] = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)  # cached after the first
        by_type.setdefault(content_type.pk, {})[obj.pk] = obj
    where = Q()
    for content_type_id, by_pk in by_type.items():
        where |= Q(content_type_id=content_type_id, object_id__in=list(by_pk))
    rows = MachineTranslation.objects.filter(where, target_language=language).only(
        "content_type_id", "object_id", "field", "source_hash", "source_language", "text"
    )
    found = {(row.content_type_id, row.object_id, row.field): row for row in rows}
    missing = []
    for content_type_id, by_pk in by_type.items():
        for pk, obj in by_pk.items():
            for field in translatable_fields(obj):
                text = getattr(obj, field) or ""
                if not text.strip():
                    continue
                row = found.get((content_type_id, pk, field))
                if row is None or row.source_hash != source_hash(text):
                    missing.append((obj, field))
                elif row.text and row.source_language != language:
                    obj.machine_translations[field] = (row.text, row.source_language)
    return missing
