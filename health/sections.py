"""What forum health adds to the pages of the apps below it: each forum's secretariat's
warnings on "My forum", and the plan's forum's health report and participation tables as an
annex of the plan's PDF."""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from actionplans.pdf_sections import plan_pdf_section_register
from health.checks import health_report
from health.participation import participation
from members.models import Forum
from members.permissions import forums_run
from members.roles import SECRETARIAT
from members.sections import my_forum_section_register


def _my_forum(request):
    """The secretariat's dashboard: what the health of each forum it runs needs, ahead of
    time (the site administrator: every forum)."""
    run = forums_run(request.user, SECRETARIAT)
    if run is not None and not run:
        return None
    forums = Forum.objects.order_by("name", "pk")
    if run is not None:
        forums = forums.filter(pk__in=run)
    return {"reports": [health_report(forum=forum, include_drafts=True) for forum in forums]}


my_forum_section_register(
    key="health.warnings", template="health/includes/my_forum.html", order=10, context=_my_forum
)


def _plan_annex(plan) -> dict:
    return {
        "health": health_report(forum=plan.forum, plan=plan),
        "participation": participation(forum=plan.forum, plan=plan),
    }


def _plan_fingerprint(plan) -> list[str]:
    """The annex changes with the records and with the date (read in the plan's language,
    as the PDF is written: the page's language must not make the PDF look changed)."""
    with translation.override(plan.language):
        report = health_report(forum=plan.forum, plan=plan)
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
