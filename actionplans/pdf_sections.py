"""Sections that the apps above actionplans add to a plan's PDF (after its own annex on
the co-creation process), so that actionplans imports none of them: forum health adds its
report and participation tables. Each registers in its `sections.py`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class PlanPdfSection:
    key: str
    title: str  # in the contents and as the heading (lazy: rendered in the plan's language)
    template: str
    context: Callable  # context(plan) -> dict
    fingerprint: Callable  # fingerprint(plan) -> list[str]: changes when the section does


@dataclass(frozen=True)
class RenderedSection:
    anchor: str
    title: str
    html: SafeString


_sections: dict[str, PlanPdfSection] = {}


def plan_pdf_section_register(
    *, key: str, title, template: str, context: Callable, fingerprint: Callable
) -> None:
    _sections[key] = PlanPdfSection(key, title, template, context, fingerprint)


def plan_pdf_sections_render(plan) -> list[RenderedSection]:
    """Every registered section of `plan`'s PDF, rendered in the active language."""
    rendered = []
    for section in _sections.values():
        anchor = section.key.replace(".", "-")
        context = {"plan": plan, "anchor": anchor, "title": str(section.title)}
        context.update(section.context(plan))
        rendered.append(
            RenderedSection(anchor, str(section.title), render_to_string(section.template, context))
        )
    return rendered


def plan_pdf_sections_fingerprint(plan) -> list[str]:
    """What the registered sections add to the PDF's fingerprint (see exports)."""
    return [part for section in _sections.values() for part in section.fingerprint(plan)]
