"""Action plans in a forum's back office: the new action plan form. The overview of
/manage/<forum>/ is the project shell's (forum/manage_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from actionplans import permissions, services
from actionplans.forms import PlanCreateForm
from core.errors import ForumError
from core.forms import form_errors_add
from members.manage import forum_managed


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
