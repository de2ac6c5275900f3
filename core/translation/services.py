"""Machine translation of what members write.

Pages never wait for a translation: a page shows what is stored
(`selectors.translations_attach`) and asks, in one task per page view, for what is
missing (`translations_request`); the worker translates (`texts_translate`) and the
next view shows it. A service that creates a text asks for its translation into the
languages members use (`translations_request_for`), after its transaction commits.

Where no worker takes the task (the embedded setup: Celery runs tasks eagerly, in the
request), the task runs in a background thread of the web process (core.queue's
`background_run`) so that the request still returns at once.

A backend that fails, times out or answers nonsense leaves the original in place: nothing
is stored, the failure is logged once for the outage (not once per text), and the backend
is left alone for `PAUSE` seconds, after which pages ask again."""

import logging

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction

from core.fingerprints import fingerprint
from core.queue import background_run, task_enqueue
from core.translation.backends import BackendError, Refused, backend_get, backend_name
from core.translation.models import MachineTranslation
from core.translation.registry import source_hash, translatable_fields

logger = logging.getLogger(__name__)

TASK = "translation.translate_texts"
PAUSE = 5 * 60  # seconds without calling a backend that failed
QUEUED_FOR = 2 * 60  # seconds during which the same request is not queued again
MAX_TEXTS = 200  # texts per task: a page's worth
DOWN_KEY = "translation:down"


def backend_paused() -> bool:
    return bool(cache.get(DOWN_KEY))


def _refs(pairs) -> list[list]:
    return [[obj._meta.label_lower, obj.pk, field] for obj, field in pairs]


def _enqueue(languages: list[str], refs: list[list]) -> None:
    if current_app.conf.task_always_eager:
        background_run(texts_translate_task_body, languages, refs)
    else:
        task_enqueue(TASK, languages, refs)


def texts_translate_task_body(languages, refs) -> None:
    texts_translate(languages=languages, refs=refs)


def translations_request(*, missing, language: str | None) -> bool:
    """Queue one task translating `missing` ((object, field) pairs from
    `translations_attach`) into `language`; the page does not wait. Not queued again
    while the same request waits, nor while the backend is paused after a failure."""
    if not missing or not language or backend_name() == "none" or backend_paused():
        return False
    refs = _refs(missing)[:MAX_TEXTS]
    if not cache.add(f"translation:queued:{fingerprint(language, refs)}", 1, QUEUED_FOR):
        return False
    _enqueue([language], refs)
    return True


def languages_in_use() -> list[str]:
    """The portal's languages that active members chose as theirs (at most the six)."""
    portal = [code for code, _name in settings.LANGUAGES]
    chosen = set(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(preferred_language="")
        .values_list("preferred_language", flat=True)
        .distinct()
    )
    return [code for code in portal if code in chosen]


def translations_request_for(*, instance) -> None:
    """After the transaction commits, ask for `instance`'s registered fields in every
    language members use (a new contribution, comment or response), so that readers find
    it translated and its author does not wait."""
    if backend_name() == "none":
        return
    fields = [field for field in translatable_fields(instance) if getattr(instance, field, "")]
    if not fields:
        return
    refs = [[instance._meta.label_lower, instance.pk, field] for field in fields]

    def enqueue():
        if not backend_paused():
            _enqueue(languages_in_use(), refs)

    transaction.on_commit(enqueue)


def _load(refs) -> list[tuple]:
    """(object, field) for each ref whose object still exists and whose field is registered."""
    wanted: dict[str, set] = {}
    for label, pk, _field in refs:
        wanted.setdefault(label, set()).add(pk)
    objects = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        objects.update({(label, obj.pk): obj for obj in model._default_manager.filter(pk__in=pks)})
    pairs = []
    for label, pk, field in refs:
        obj = objects.get((label, pk))
        if obj is not None and field in translatable_fields(obj):
            pairs.append((obj, field))
    return pairs


def _outage(backend, exc: Exception) -> None:
    if cache.add(DOWN_KEY, str(exc), PAUSE):  # logged once per outage
        logger.warning(
            "Machine translation with %s failed (%s); originals are shown, and it is not "
            "called again for %d seconds.",
            backend.name,
            exc,
            PAUSE,
        )


def texts_translate(*, languages: list[str], refs: list[list]) -> int:
    """Translate the referenced fields into each of `languages` and store each translation
    once per text and language (a text already translated is not sent again). Run by the
    worker. Returns how many translations were stored."""
    backend = backend_get()
    if backend is None or backend_paused():
        return 0
    pairs = _load(refs[:MAX_TEXTS])
    if not pairs:
        return 0
    portal = {code for code, _name in settings.LANGUAGES}
    languages = [code for code in languages if code in portal]
    content_types = ContentType.objects.get_for_models(*{type(obj) for obj, _field in pairs})
    existing = {
        (row.content_type_id, row.object_id, row.field, row.target_language): row.source_hash
        for row in MachineTranslation.objects.filter(
            object_id__in={obj.pk for obj, _field in pairs},
            content_type__in=content_types.values(),
            target_language__in=languages,
        ).only("content_type_id", "object_id", "field", "target_language", "source_hash")
    }
    stored = 0
    for obj, field in pairs:
        text = (getattr(obj, field) or "").strip()
        if not text:
            continue
        digest = source_hash(getattr(obj, field))
        content_type = content_types[type(obj)]
        for language in languages:
            if existing.get((content_type.pk, obj.pk, field, language)) == digest:
                continue
            try:
                translated, source = backend.translate(text, language)
            except Refused as exc:
                # Not an outage: this language (or text) only; logged once a day for each.
                if cache.add(f"translation:refused:{backend.name}:{language}", 1, 24 * 3600):
                    logger.warning(
                        "Machine translation with %s refused a text into %s (%s); its original "
                        "is shown.",
                        backend.name,
                        language,
                        exc,
                    )
                continue
            except BackendError as exc:
                _outage(backend, exc)
                return stored
            if source == language:
                translated = ""  # already in the reader's language: nothing to show
            try:
                MachineTranslation.objects.update_or_create(
                    content_type=content_type,
                    object_id=obj.pk,
                    field=field,
                    target_language=language,
                    defaults={
                        "source_hash": digest,
                        "source_language": source,
                        "text": translated,
                        "backend": backend.name,
                    },
                )
            except IntegrityError:  # another task stored it a moment ago
                continue
            stored += 1
    return stored


def translations_drop(*, instances) -> int:
    """Forget every translation of `instances` (their texts were erased or deleted)."""
    count = 0
    for instance in instances:
        content_type = ContentType.objects.get_for_model(instance)
        count += MachineTranslation.objects.filter(
            content_type=content_type, object_id=instance.pk
        ).delete()[0]
    return count
