"""A forum's secretariat creates its workshops: the pages under /manage/<forum>/ that
belong to co-creation (forum/urls.py includes them; the index is actionplans')."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cocreation import permissions, services
from cocreation.forms import WorkshopCreateForm
from core.errors import ForumError
from core.forms import form_errors_add
from members.manage import forum_managed


@login_required
def workshop_create(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_manage_workshops)
    form = WorkshopCreateForm(request.POST or None, forum=forum)
    if request.method == "POST":
        if form.is_valid():
            try:
                workshop = services.workshop_create(
                    forum=forum, fields=form.service_fields(), by=request.user
                )
            except ValidationError as error:
                form_errors_add(form, error)
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The workshop “%(title)s” is created.") % {"title": workshop.title},
                )
                return redirect(workshop)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "cocreation/workshop_create.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )
