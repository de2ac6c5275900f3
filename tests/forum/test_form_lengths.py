"""Overlong text and dates beyond the calendar are form errors, never a database or a
server error. Every field of every model form that writes a model's text field with a
maximum length has that maximum (or a smaller one): fields declared on the form by hand
lose the model's maximum unless they repeat it (the repository's link and the workshop's
online link did not). Every form with a date refuses years outside 1900..9000."""

import importlib

from django import forms
from django.core.exceptions import FieldDoesNotExist

from core.forms import BoundedDateField, DatesWithinYears

APPS = ["members", "cocreation", "actionplans", "events", "health", "forum", "core"]


def _forms(base=forms.BaseForm) -> list[type]:
    """Every form class of the project's apps that derives from `base`."""
    for app in APPS:
        for name in ("forms", "manage_forms"):
            try:
                importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError:
                continue
    seen, stack = set(), [base]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS]


def test_every_model_forms_text_field_keeps_the_models_maximum_length():
    checked, too_long = 0, []
    model_forms = [cls for cls in _forms(forms.ModelForm) if getattr(cls._meta, "model", None)]
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


def test_every_form_with_a_date_refuses_a_year_beyond_the_calendar():
    """A date typed in the year 9999 (or 1) is refused beside its field: the day after it,
    or its time in UTC, does not exist for Python (core.forms.DatesWithinYears)."""
    unchecked, checked = [], 0
    for form_class in _forms():
        dated = [
            name
            for name, field in form_class.base_fields.items()
            if isinstance(field, forms.DateField | forms.DateTimeField)
            and not isinstance(field, BoundedDateField)
        ]
        if not dated:
            continue
        checked += 1
        if not issubclass(form_class, DatesWithinYears):
            unchecked.append(f"{form_class.__module__}.{form_class.__name__}: {dated}")
    assert checked >= 8
    assert not unchecked, unchecked
