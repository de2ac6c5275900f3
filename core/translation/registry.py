"""Which fields of which models are machine-translated, declared by the apps that own the
models (each in its own `translatable.py`, imported by core when the apps are ready): core
never imports the apps above it."""

import hashlib

from django.db import models

_fields: dict[type[models.Model], tuple[str, ...]] = {}


def translatable_register(model: type[models.Model], fields: list[str]) -> None:
    """Declare that `fields` of `model` (text that members write) may be machine-translated."""
    _fields[model] = tuple(fields)


def translatable_fields(model_or_instance) -> tuple[str, ...]:
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    return _fields.get(model._meta.concrete_model, ())


def translatable_models() -> list[type[models.Model]]:
    return list(_fields)


def source_hash(text: str) -> str:
    """What identifies a text: a translation of another text (the same field, changed) is
    never shown for it."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
