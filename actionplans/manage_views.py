"""A forum's secretariat runs its forum: the index of /manage/<forum>/ (its processes,
workshops and action plans) and the new action plan form. The index lives here because it
lists plans; the workshop pages are co-creation's (cocreation/manage_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from actionplans import permissions, selectors, services
from actionplans.forms import PlanCreateForm
from cocreation import permissions as cocreation_permissions
from cocreation import selectors as cocreation_selectors
from core.errors import ForumError
from core.forms import form_errors_add
from members.manage import forum_managed
from members.permissions import can_run_forum

WORKSHOPS_PAGE_SIZE = 25


@login_required
def index(request, forum_slug):
    forum = forum_managed(request, forum_slug, can_run_forum)
    workshops = Paginator(
        cocreation_selectors.forum_workshops(forum=forum), WORKSHOPS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "actionplans/manage_index.html",
        {
            "forum": forum,
            "processes": list(cocreation_selectors.forum_processes(forum=forum)),
            "page": workshops,
            "plans": list(selectors.forum_plans(forum=forum)),
            "can_create_workshop": cocreation_permissions.can_manage_workshops(request.user, forum),
            "can_create_plan": permissions.can_create_plan(request.user, forum),
        },
    )


@login_required
def plan_create(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_create_plan)
    form = PlanCreateForm(request.POST or None, forum=forum)
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.PLAN_FIELDS}
            try:
                plan = services.plan_create(forum=forum, fields=fields, by=request.user)
            except ValidationError as error:
                form_errors_add(form, error)
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The action plan “%(title)s” is created.") % {"title": plan.title}
                )
                return redirect(plan)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/plan_create.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )
