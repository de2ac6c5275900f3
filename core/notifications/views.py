from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.notifications import selectors, services
from core.notifications.forms import EmailPreferencesForm
from core.notifications.models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "Marked %(count)d notification as read.",
            "Marked %(count)d notifications as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
def email_preferences(request):
    preferences = selectors.email_preferences(user=request.user)
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            services.email_preferences_set(
                user=request.user, wanted_kinds=form.cleaned_data["wanted"]
            )
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("notifications:preferences")
    else:
        form = EmailPreferencesForm(
            initial={"wanted": [p["kind"] for p in preferences if p["by_email"]]}
        )
    essentials = [p for p in preferences if p["essential"]]
    return render(
        request, "notifications/preferences.html", {"form": form, "essentials": essentials}
    )
