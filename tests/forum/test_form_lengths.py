"""Overlong text is a form error, never a database error: every field of every model form
that writes a model's text field with a maximum length has that maximum (or a smaller one).
Fields declared on the form by hand lose the model's maximum unless they repeat it (the
repository's link and the workshop's online link did not)."""

import importlib

from django import forms
from django.core.exceptions import FieldDoesNotExist

APPS = ["members", "cocreation", "actionplans", "events", "health", "forum", "core"]


def _model_forms():
    for app in APPS:
        for name in ("forms", "manage_forms"):
            try:
                importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError:
                continue
    seen, stack = set(), [forms.ModelForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [
        cls
        for cls in seen
        if cls.__module__.split(".")[0] in APPS and getattr(cls._meta, "model", None)
    ]


def test_every_model_forms_text_field_keeps_the_models_maximum_length():
    checked, too_long = 0, []
    model_forms = _model_forms()
    assert len(model_forms) >= 8, "the project's model forms were not found"
    for form_class in model_forms:
        model = form_class._meta.model
        for name, field in form_class.base_fields.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            limit = getattr(model_field, "max_length", None)
            if limit is None or not isinstance(field, forms.CharField):
                continue
            checked += 1
            if field.max_length is None or field.max_length > limit:
                too_long.append(f"{form_class.__name__}.{name}: {field.max_length} > {limit}")
    assert checked > 20
    assert not too_long, too_long
