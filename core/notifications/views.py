from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.i18n import language_supported
from core.notifications import selectors, services
from core.notifications.forms import EmailPreferencesForm
from core.notifications.kinds import kind_label
from core.notifications.models import Notification
from core.notifications.unsubscribe import (
    UnsubscribeLinkExpired,
    UnsubscribeLinkInvalid,
    unsubscribe_read,
)

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
            services.notification_rhythms_set(user=request.user, rhythms=form.cleaned_data)
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("notifications:preferences")
    else:
        form = EmailPreferencesForm(
            initial={p["kind"]: p["rhythm"] for p in preferences if not p["essential"]}
        )
    groups: dict[str, dict] = {}
    for preference in preferences:
        group = groups.setdefault(
            str(preference["app"]), {"app": preference["app"], "fields": [], "essentials": []}
        )
        if preference["essential"]:
            group["essentials"].append(preference)
        else:
            group["fields"].append(form[preference["kind"]])
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "groups": list(groups.values())},
    )


# Mail providers POST the one-click unsubscribe (RFC 8058) with no cookies: no CSRF token
# can come, and none is needed, since the signed link itself names the member and kinds.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows what the link turns off with one button (it changes nothing: link
    scanners follow links); POST turns it off, without logging in."""
    try:
        user_id, kinds = unsubscribe_read(token)
    except (UnsubscribeLinkExpired, UnsubscribeLinkInvalid) as error:
        expired = isinstance(error, UnsubscribeLinkExpired)
        return render(
            request, "notifications/unsubscribe_invalid.html", {"expired": expired}, status=400
        )
    language = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .values_list("preferred_language", flat=True)
        .first()
    )
    if language is None:  # the account is gone or closed
        return render(
            request, "notifications/unsubscribe_invalid.html", {"expired": False}, status=400
        )
    if language_supported(language):  # the page speaks the e-mail's language
        translation.activate(language)
        request.LANGUAGE_CODE = language
    if request.method == "POST":
        turned_off = services.notification_kinds_turn_off(user_id=user_id, kinds=kinds)
        return render(
            request,
            "notifications/unsubscribe_done.html",
            {"labels": [kind_label(kind) for kind in turned_off]},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"labels": [kind_label(kind) for kind in kinds]},
    )
