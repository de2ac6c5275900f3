import json

from allauth.account.models import get_emailconfirmation_model
from allauth.account.views import ConfirmEmailView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ForumError
from core.i18n import language_cookie_set, language_supported
from core.kept_pages import kept_page
from core.personal_data import personal_data_export
from members import permissions, selectors, services
from members.forms import (
    DeleteAccountForm,
    MembershipDecisionForm,
    MembershipReplyForm,
    ProfileForm,
)
from members.models import Forum, MembershipStatus, Organisation, User
from members.sections import my_forum_sections_render
from members.selectors import forum_at_a_glance


def index(request):
    return render(request, "members/index.html", {"glance": forum_at_a_glance()})


def organisation_list(request):
    filterset = selectors.organisation_directory(filters=request.GET or None, viewer=request.user)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, "members/organisation_list.html", {"filter": filterset, "page": page})


def organisation_detail(request, pk):
    try:
        context = selectors.organisation_profile(pk=pk, viewer=request.user)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "members/organisation_detail.html", context)


@login_required
def membership_queue(request):
    if not permissions.can_decide_memberships(request.user):
        raise PermissionDenied
    page = Paginator(selectors.membership_queue(), 25).get_page(request.GET.get("page"))
    return render(
        request, "members/membership_queue.html", {"page": page, "form": MembershipDecisionForm()}
    )


@login_required
@require_POST
def membership_decide(request, pk):
    if not permissions.can_decide_memberships(request.user):
        raise PermissionDenied
    member = get_object_or_404(User, pk=pk)
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("members:membership_queue")
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == "approve":
            services.membership_approve(
                member=member, by=request.user, sector=form.cleaned_data["sector"]
            )
            messages.success(
                request, _("%(member)s is approved and has been told.") % {"member": member}
            )
        elif decision == "reject":
            services.membership_reject(member=member, reason=note, by=request.user)
            messages.success(
                request, _("%(member)s is rejected and has been told why.") % {"member": member}
            )
        else:
            services.membership_request_information(member=member, question=note, by=request.user)
            messages.success(
                request, _("Your question has been sent to %(member)s.") % {"member": member}
            )
    except ForumError as error:
        messages.error(request, str(error))
    return redirect("members:membership_queue")


@login_required
def my_forum(request):
    return render(
        request,
        "members/my_forum.html",
        {
            "refusal": permissions.membership_refusal(request.user),
            # The apps above add their sections (members.sections).
            "sections": my_forum_sections_render(request),
        },
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            member = request.user
            before = member.organisation_id
            change = services.member_profile_update(member=member, **form.cleaned_data)
            # The page now speaks the language just chosen, and the browser keeps it
            # (the switcher's cookie would otherwise win: see core/i18n.py).
            translation.activate(member.preferred_language)
            if change is not None and change.organisation_id != before:
                messages.success(
                    request,
                    _(
                        "Your profile is saved. Your change of organisation to %(organisation)s "
                        "waits for the secretariat's approval."
                    )
                    % {"organisation": change.organisation},
                )
            else:
                messages.success(request, _("Your profile is saved."))
            response = redirect("members:profile")
            language_cookie_set(response, member.preferred_language)
            return response
        messages.error(request, _("Please correct the profile below."))
    return render(
        request,
        "members/profile.html",
        {"form": form, "change": selectors.organisation_change_of(member=request.user)},
        status=400 if form.errors else 200,
    )


@kept_page("composition")
def composition(request, forum=None):
    """The portal's composition, or one forum's when the forums' pages pass it."""
    context = selectors.forum_composition(forum)
    return render(request, "members/composition.html", {**context, "forum": forum})


@login_required
def my_data(request):
    payload = json.dumps(personal_data_export(member=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-forum-data.json"'
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.member_delete(member=request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for taking part."))
        return redirect("home")
    return render(
        request, "members/account_delete.html", {"form": form}, status=400 if form.errors else 200
    )


def forum_body(request, forum=None):
    """A forum's body: the one the forums' pages pass, else the portal's first forum (the
    address made before there were several)."""
    forum = forum or Forum.objects.default()
    context = selectors.forum_body(forum=forum)
    return render(request, "members/forum_body.html", {**context, "forum": forum})


def organisation_logo(request, pk):
    organisation = get_object_or_404(
        selectors.organisations_visible_to(request.user).exclude(logo=""), pk=pk
    )
    try:
        return FileResponse(organisation.logo.open("rb"))
    except FileNotFoundError:
        raise Http404 from None


def privacy_notice(request):
    """What the portal keeps on members and why: the notice the sign-up form asks to accept."""
    return render(
        request,
        "members/privacy.html",
        {
            "guest_data_days": settings.EVENTS_GUEST_DATA_DAYS,
            "hours": settings.EVENTS_GUEST_REQUEST_HOURS,
        },
    )


@login_required
def membership_reply(request):
    """The member reads the secretariat's question and answers it: their request goes back
    to the secretariat's queue."""
    member = request.user
    asked = member.membership_status == MembershipStatus.INFORMATION_REQUESTED
    form = MembershipReplyForm(request.POST or None)
    if request.method == "POST":
        if not asked:
            messages.error(request, _("The secretariat has not asked you anything."))
            return redirect("members:my_forum")
        if form.is_valid():
            try:
                services.membership_reply(member=member, reply=form.cleaned_data["reply"])
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your answer is sent: the secretariat will look at your request again."),
                )
                return redirect("members:my_forum")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "members/membership_reply.html",
        {"form": form, "asked": asked},
        status=400 if form.errors else 200,
    )


def email_confirm(request, key):
    """allauth's page confirming an e-mail address, in the language the person chose at
    sign-up when the browser has none of its own (the link opened on another device, in a
    mail app); the next pages keep it, as the language switcher would."""
    confirmation = get_emailconfirmation_model().from_key(key)
    user = getattr(getattr(confirmation, "email_address", None), "user", None)
    language = getattr(user, "preferred_language", "")
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language_supported(chosen) or not language_supported(language):
        return ConfirmEmailView.as_view()(request, key=key)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    response = ConfirmEmailView.as_view()(request, key=key)
    language_cookie_set(response, language)
    return response
