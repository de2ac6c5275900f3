"""The back office's front door: /manage/ (the forums one runs) and each forum's overview,
/manage/<forum>/: what needs its secretariat now. It reads every app's records, so it lives
in the project shell; the sections themselves are the apps' (their manage_urls.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from actionplans import selectors as actionplans_selectors
from cocreation import selectors as cocreation_selectors
from events import selectors as events_selectors
from health.checks import AT_RISK, NOT_MET, health_report
from members import selectors as members_selectors
from members.manage import forum_managed
from members.models import Forum
from members.permissions import forums_run, is_facilitator, is_secretariat
from members.roles import FACILITATOR, SECRETARIAT


def _runs(user, forum) -> bool:
    """The overview opens for the forum's secretariat and its facilitators."""
    return is_secretariat(user, forum) or is_facilitator(user, forum)


def managed_forums(user) -> list[Forum]:
    """The forums whose back office `user` may open, by name (every forum for the site
    administrator)."""
    secretariat, facilitator = forums_run(user, SECRETARIAT), forums_run(user, FACILITATOR)
    forums = Forum.objects.order_by("name", "pk")
    if secretariat is None:
        return list(forums)
    return list(forums.filter(pk__in=secretariat | (facilitator or set())))


@login_required
def chooser(request):
    forums = managed_forums(request.user)
    if not forums:
        raise PermissionDenied
    if len(forums) == 1:
        return redirect("manage:index", forums[0].slug)
    return render(request, "forum/manage_chooser.html", {"forums": forums})


@login_required
def overview(request, forum_slug):
    forum = forum_managed(request, forum_slug, _runs)
    context = {
        "forum": forum,
        "secretariat": is_secretariat(request.user, forum),
        "facilitated": list(cocreation_selectors.facilitated_by(member=request.user, forum=forum)),
    }
    if context["secretariat"]:
        report = health_report(forum=forum, include_drafts=True)
        context.update(
            {
                "membership_requests": members_selectors.membership_queue().count(),
                "organisation_changes": members_selectors.organisation_changes_waiting_count(),
                "events_waiting": events_selectors.review_queue(viewer=request.user)
                .filter(forum=forum)
                .count(),
                "awaiting": list(actionplans_selectors.sign_offs_awaited_in(forum=forum)),
                "health_checks": [c for c in report.checks if c.state in (AT_RISK, NOT_MET)],
                "upcoming": list(cocreation_selectors.upcoming_with_fill(forum=forum)),
                "processes": list(cocreation_selectors.forum_processes(forum=forum)),
                "plans": list(actionplans_selectors.forum_plans(forum=forum)),
            }
        )
    return render(request, "forum/manage_overview.html", context)
