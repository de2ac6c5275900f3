"""Forms drawn by Python instead of Django's form templates, with the same HTML.

Django renders every form field through four to six small templates (the field group, its
label, its errors, the widget, the widget's attributes, and one more per option of a
select). On a list page the filter form alone took a quarter of the time (profiled: 12 ms
of the workshop list's 39 ms). This renderer writes the HTML of Django's own templates for
the common ones (`django/forms/div.html`, the field group, label, error list, the input,
select and textarea widgets) in Python, escaping as the templates do, and hands every other
template (an app's own, a radio list, a file input) to Django's renderer unchanged.
tests/core/test_form_rendering.py renders every form of the portal both ways and compares.

Both renderers here give every number field the keyboard a phone should offer
(`HintedBoundField`): the tests compare `FastFormRenderer` with `PortalTemplates`, Django's
templates with the same hints.

Settings: FORM_RENDERER = "core.form_rendering.FastFormRenderer".
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
# The widgets whose template is Django's input.html and nothing else.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "url",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "hidden",
        "checkbox",
        "color",
    )
}


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _option(option) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


class HintedBoundField(BoundField):
    """A number field brings up the right keyboard on a phone: a number pad for whole
    numbers, a decimal pad for amounts (`inputmode`). The autofill of a person's own
    details (`autocomplete`) is set by the forms that ask for them, since a field named
    "email" may as well be another member's address."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.NumberInput) and "inputmode" not in widget.attrs:
            # FloatField and DecimalField are IntegerFields too, in Django's classes.
            whole = isinstance(self.field, forms.IntegerField) and not isinstance(
                self.field, forms.FloatField | forms.DecimalField
            )
            attrs.setdefault("inputmode", "numeric" if whole else "decimal")
        return attrs


class PortalTemplates(DjangoTemplates):
    """Django's form templates, with the portal's field hints."""

    bound_field_class = HintedBoundField


class FastFormRenderer(PortalTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return _input(context)
        fast = getattr(self, FAST.get(template_name, ""), None)
        if fast is None:
            return super().render(template_name, context, request=request)
        return fast(template_name, context, request)

    def _select(self, template_name, context, request):
        widget = context["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                if option["template_name"] == f"{WIDGETS}select_option.html":
                    out.append("\n  " + _option(option))
                else:
                    out.append("\n  " + self.render(option["template_name"], {"widget": option}))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)

    def _select_option(self, template_name, context, request):
        return _option(context["widget"])

    def _textarea(self, template_name, context, request):
        widget = context["widget"]
        value = conditional_escape(widget["value"]) if widget["value"] else ""
        return (
            f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"\n{value}</textarea>"
        )

    def _label(self, template_name, context, request):
        label = conditional_escape(context["label"])
        if not context["use_tag"]:
            return label
        tag = context["tag"]
        return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"

    def _errors(self, template_name, context, request):
        errors = context["errors"]
        if not errors:
            return ""
        field_id = getattr(errors, "field_id", None)
        anchor = format_html(' id="{}_error"', field_id) if field_id else ""
        items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
        return f'<ul class="{conditional_escape(context["error_class"])}"{anchor}>{items}</ul>'

    def _field(self, template_name, context, request):
        field = context["field"]
        out = []
        if field.use_fieldset:
            described = field.aria_describedby
            described = format_html(' aria-describedby="{}"', described) if described else ""
            out.append(f"<fieldset{described}>")
            if field.label:
                out.append(str(field.legend_tag()))
        elif field.label:
            out.append(str(field.label_tag()))
        if field.help_text:
            anchor = format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else ""
            out.append(f'<div class="helptext"{anchor}>{field.help_text}</div>')
        out.append(str(field.errors))
        out.append(str(field) + ("</fieldset>" if field.use_fieldset else ""))
        return "\n".join(out)

    def _div(self, template_name, context, request):
        errors, fields, hidden = context["errors"], context["fields"], context["hidden_fields"]
        out = [str(errors)]
        hidden_html = "".join(str(field) for field in hidden)
        if errors and not fields:
            out.append(f"<div>{hidden_html}</div>")
        for number, (field, _field_errors) in enumerate(fields, start=1):
            classes = field.css_classes()
            classes = format_html(' class="{}"', classes) if classes else ""
            last = hidden_html if number == len(fields) else ""
            out.append(f"<div{classes}>\n{field.as_field_group()}\n{last}\n</div>")
        if not fields and not errors:
            out.append(hidden_html)
        return mark_safe("\n".join(out))  # noqa: S308 -- every part above is escaped


FAST = {
    f"{WIDGETS}select.html": "_select",
    f"{WIDGETS}select_option.html": "_select_option",
    f"{WIDGETS}textarea.html": "_textarea",
    "django/forms/label.html": "_label",
    "django/forms/errors/list/ul.html": "_errors",
    "django/forms/errors/list/default.html": "_errors",
    "django/forms/field.html": "_field",
    "django/forms/div.html": "_div",
}
