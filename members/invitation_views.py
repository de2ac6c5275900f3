"""The page an invitation's link opens, /invitations/<token>/: a person without an account
chooses a password and arrives logged in, approved, a member of the organisation; a person
with an account logs in and confirms. A link that does not open (tampered with, replaced by
a newer e-mail, expired, revoked, used) gets a page that says which, and whom to ask."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.errors import ForumError
from core.i18n import language_cookie_set, language_supported
from members import permissions, services
from members.forms import InvitationAcceptForm
from members.models import Invitation
from members.services import InvitationLinkError

LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _closed(request, error: InvitationLinkError):
    context = {"reason": error.reason, "invitation": error.invitation}
    if request.user.is_authenticated or error.invitation is None:
        return render(request, "members/invitation_closed.html", context, status=error.status_code)
    with translation.override(error.invitation.language):
        return render(request, "members/invitation_closed.html", context, status=error.status_code)


def _page(request, invitation: Invitation, context: dict, status: int = 200):
    """Rendered in the invitation's language for a visitor not logged in (the language the
    secretariat gave), else in the member's own."""
    context = {"invitation": invitation, **context}
    if request.user.is_authenticated:
        return render(request, "members/invitation_accept.html", context, status=status)
    with translation.override(invitation.language):
        return render(request, "members/invitation_accept.html", context, status=status)


def _welcome(request, member, *, linked: bool):
    with translation.override(member.preferred_language or None):
        return _welcomed(request, member, linked=linked)


def _welcomed(request, member, *, linked: bool):
    if linked:
        messages.success(
            request,
            _("Welcome: you now take part for %(organisation)s.")
            % {"organisation": member.organisation},
        )
    else:
        messages.success(
            request,
            _(
                "Welcome, %(name)s: you are a member of the forum for %(organisation)s, "
                "approved by the secretariat."
            )
            % {"name": member.get_short_name(), "organisation": member.organisation},
        )
    if permissions.must_use_two_factor(member):
        messages.warning(request, _("Your role requires two-factor log-in: set it up now."))
        response = redirect("mfa_activate_totp")
    else:
        response = redirect("members:my_forum")
    if language_supported(member.preferred_language):
        language_cookie_set(response, member.preferred_language)
    return response


@never_cache
def accept(request, token):
    try:
        invitation = services.invitation_open(token=token)
    except InvitationLinkError as error:
        return _closed(request, error)
    account = services.invitation_account(invitation)
    user = request.user
    if account is not None:
        # An account has the address: its owner logs in and confirms.
        if not user.is_authenticated:
            login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
            return _page(request, invitation, {"step": "log_in", "login_url": login_url})
        if user.pk != account.pk:
            return _page(request, invitation, {"step": "other_account"}, status=403)
        if request.method == "POST":
            try:
                member = services.invitation_link_confirm(token=token, member=user)
            except InvitationLinkError as error:
                return _closed(request, error)
            except ForumError as error:
                messages.error(request, str(error))
                return redirect(request.path)
            return _welcome(request, member, linked=True)
        return _page(request, invitation, {"step": "confirm"})
    if user.is_authenticated:
        return _page(request, invitation, {"step": "other_account"}, status=403)
    # the form, its errors and the welcome in the invitation's language, as the page
    with translation.override(invitation.language):
        return _accept_with_password(request, token, invitation)


def _accept_with_password(request, token, invitation):
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                privacy_consent=form.cleaned_data["privacy_consent"],
            )
        except InvitationLinkError as error:
            return _closed(request, error)
        except ForumError as error:
            fields = getattr(error, "fields", None) or {}
            for field, field_messages in fields.items():
                for message in field_messages:
                    form.add_error("password1" if field == "password" else None, message)
            if not fields:
                form.add_error(None, str(error))
        else:
            login(request, member, backend=LOGIN_BACKEND)
            return _welcome(request, member, linked=False)
    return _page(
        request,
        invitation,
        {"step": "password", "form": form},
        status=400 if form.errors else 200,
    )
