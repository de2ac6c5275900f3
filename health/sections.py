"""What forum health adds to the pages of the apps below it: the secretariat's warnings on
"My forum", and the health report and participation tables as an annex of the plan's
PDF."""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from actionplans.pdf_sections import plan_pdf_section_register
from health import permissions
from health.checks import health_report
from health.participation import participation
from members.sections import my_forum_section_register


def _my_forum(request):
    """The secretariat's dashboard: what the forum's health needs, ahead of time."""
    if not permissions.can_edit_thresholds(request.user):
        return None
    return {"health": health_report()}


my_forum_section_register(
    key="health.warnings", template="health/includes/my_forum.html", order=10, context=_my_forum
)


def _plan_annex(plan) -> dict:
    return {"health": health_report(plan=plan), "participation": participation(plan=plan)}


def _plan_fingerprint(plan) -> list[str]:
    """The annex changes with the records and with the date (read in the plan's language,
    as the PDF is written: the page's language must not make the PDF look changed)."""
    with translation.override(plan.language):
        report = health_report(plan=plan)
    return [str(timezone.localdate())] + [
        f"{check.state}:{check.summary}" for check in report.checks
    ]


plan_pdf_section_register(
    key="health.annex",
    title=_("Annex: forum health"),
    template="health/pdf_annex.html",
    context=_plan_annex,
    fingerprint=_plan_fingerprint,
)
