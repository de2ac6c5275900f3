"""The workshop session: the contribution board and its moderation, and the check-in."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocreation import forms, permissions, seat_pass, selectors, services
from cocreation.board import board_rows
from cocreation.models import Contribution, Registration, Workshop
from core.errors import ForumError
from core.kept_pages import kept_page
from core.site import absolute_url
from core.translation.selectors import translations_attach
from core.translation.services import translations_request


def _workshop(pk) -> Workshop:
    return get_object_or_404(
        Workshop.objects.exclude(status=Workshop.Status.DRAFT).select_related("process"), pk=pk
    )


def _board_context(request, workshop, post_form=None):
    moderator = permissions.can_moderate(request.user, workshop)
    can_post, why_not = permissions.can_post(request.user, workshop)
    contributions = selectors.board_contributions(
        workshop=workshop, viewer=request.user, moderator=moderator
    )
    page = Paginator(contributions, selectors.BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    # Machine translations into the reader's language: one query for the page; what is
    # missing is asked for in one task, and shows on a later view (the page never waits).
    language = get_language()
    missing = translations_attach(objects=selectors.board_texts(page), language=language)
    translations_request(missing=missing, language=language)
    context = {
        "workshop": workshop,
        "moderator": moderator,
        "can_post": can_post,
        "why_not_post": why_not,
        "can_react": permissions.can_react(request.user)[0],
        "post_form": post_form or forms.ContributionForm(),
        "contributions": page,
        "page": page,
        "tally": selectors.response_tally(workshop=workshop),
        "dispositions": forms.ResponseForm().fields["disposition"].choices,
        # what a duplicate can be merged into: read once for the whole page
        "merge_targets": selectors.merge_targets(workshop=workshop) if moderator else [],
    }
    context["board_rows"] = board_rows(request, page, context)
    return context


@kept_page("board")
def contribution_board(request, pk):
    workshop = _workshop(pk)
    context = _board_context(request, workshop)
    if request.headers.get("HX-Request"):  # the facilitator's board refreshing itself
        return render(request, "cocreation/includes/contribution_list.html", context)
    return render(request, "cocreation/contribution_board.html", context)


@login_required
@require_POST
def contribution_post(request, pk):
    workshop = _workshop(pk)
    allowed, reason = permissions.can_post(request.user, workshop)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the contribution below."))
        return render(
            request,
            "cocreation/contribution_board.html",
            _board_context(request, workshop, post_form=form),
            status=400,
        )
    services.contribution_post(workshop=workshop, author=request.user, **form.cleaned_data)
    messages.success(
        request, _("Thank you. Your contribution appears once a facilitator publishes it.")
    )
    return redirect("cocreation:contribution_board", pk=workshop.pk)


def _publish(request, contribution, data):
    services.contribution_publish(contribution=contribution, by=request.user)
    return _("Published.")


def _hide(request, contribution, data):
    form = forms.ReasonForm(data)
    if not form.is_valid():
        raise services.ContributionError(_("Say why the contribution is hidden."))
    services.contribution_hide(
        contribution=contribution, reason=form.cleaned_data["reason"], by=request.user
    )
    return _("Hidden.")


def _merge(request, contribution, data):
    form = forms.MergeForm(data, contribution=contribution)
    if not form.is_valid():
        raise services.ContributionError(_("Choose the contribution it duplicates."))
    into = form.cleaned_data["into"]
    services.contribution_merge(duplicate=contribution, into=into, by=request.user)
    return _("Merged into “%(title)s”; its author has been told.") % {"title": into.title}


def _tag(request, contribution, data):
    form = forms.TagForm(data)
    form.is_valid()
    names = form.cleaned_data.get("tags", "").split(",")
    services.contribution_tag(contribution=contribution, names=names, by=request.user)
    return _("Tags saved.")


def _respond(request, contribution, data):
    form = forms.ResponseForm(data)
    if not form.is_valid():
        errors = "; ".join(error for errors in form.errors.values() for error in errors)
        raise services.ContributionError(errors)
    services.contribution_respond(contribution=contribution, by=request.user, **form.cleaned_data)
    return _("The reasoned response is published; the author has been told.")


def _support(request, contribution, data):
    supported = services.contribution_support(contribution=contribution, member=request.user)
    return _("You support this contribution.") if supported else _("Your support is withdrawn.")


def _comment(request, contribution, data):
    form = forms.CommentForm(data)
    if not form.is_valid():
        raise services.ContributionError(_("Write your comment first."))
    services.contribution_comment(
        contribution=contribution, author=request.user, text=form.cleaned_data["text"]
    )
    return _("Your comment is posted.")


def _report(request, contribution, data):
    form = forms.ReasonForm(data)
    if not form.is_valid():
        raise services.ContributionError(_("Say what is wrong with it."))
    services.contribution_report(
        contribution=contribution, reporter=request.user, reason=form.cleaned_data["reason"]
    )
    return _("Thank you: the facilitators will look at your report.")


# action: (handler, who may do it)
MODERATION = {"publish": _publish, "hide": _hide, "merge": _merge, "tag": _tag, "respond": _respond}
REACTIONS = {"support": _support, "comment": _comment, "report": _report}


@login_required
@require_POST
def contribution_action(request, pk, contribution_pk, action):
    workshop = _workshop(pk)
    contribution = get_object_or_404(Contribution, pk=contribution_pk, workshop=workshop)
    if action in MODERATION:
        if not permissions.can_moderate(request.user, workshop):
            raise PermissionDenied
        handler = MODERATION[action]
    elif action in REACTIONS:
        visible = contribution.status == Contribution.Status.PUBLISHED
        if not visible or not permissions.can_react(request.user)[0]:
            raise PermissionDenied
        handler = REACTIONS[action]
    else:
        raise Http404
    try:
        messages.success(request, handler(request, contribution, request.POST))
    except ForumError as error:
        messages.error(request, str(error))
    return redirect(_on_the_board(request, workshop, contribution))


def contribution_link(request, pk, contribution_pk):
    """A contribution's lasting address: the page of the board that shows it, at its place."""
    workshop = _workshop(pk)
    contribution = get_object_or_404(Contribution, pk=contribution_pk, workshop=workshop)
    return redirect(_on_the_board(request, workshop, contribution))


def _on_the_board(request, workshop, contribution) -> str:
    page = selectors.board_page_of(
        contribution=contribution,
        viewer=request.user,
        moderator=permissions.can_moderate(request.user, workshop),
    )
    board = reverse("cocreation:contribution_board", args=[workshop.pk])
    return f"{board}?page={page}#c{contribution.pk}" if page > 1 else f"{board}#c{contribution.pk}"


def _check_in_page(request, workshop, *, walk_in_form=None, anonymous_form=None, status=200):
    query = request.GET.get("q", "")[:200]
    registrations = (
        workshop.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("member", "organisation")
        .order_by("member__full_name", "id")
    )
    return render(
        request,
        "cocreation/check_in.html",
        {
            "workshop": workshop,
            "open": workshop.check_in_open(),
            "opens_at": workshop.check_in_opens_at(),
            "registrations": registrations,
            "walk_ins": workshop.walk_ins.all(),
            "walk_in_form": walk_in_form or forms.WalkInForm(),
            "anonymous_form": anonymous_form or forms.AnonymousWalkInForm(),
            "query": query,
            **_seat_answers(request, workshop, query),
        },
        status=status,
    )


def _seat_answers(request, workshop, text: str) -> dict:
    """What the search box (or a scan) finds: a QR code's token or address, or a seat code,
    gives one answer or the reason it checks nobody in; a name, the places matching it."""
    text = str(text or "").strip()[:500]
    answers, error = [], ""
    if seat_pass.is_seat_code(text) or ("-" in text and ":" in text):
        try:
            answers = [services.seat_pass_find(workshop=workshop, text=text, by=request.user)]
        except services.SeatPassError as refusal:
            error = str(refusal)
    if text and not answers and (not error or seat_pass.is_seat_code(text)):
        # a name of six letters reads as a seat code too
        answers = selectors.check_in_search(workshop=workshop, text=text)
        error = "" if answers else error
    for registration in answers:
        registration.problem = services.seat_pass_problem(registration)
    return {"answers": answers, "answer_error": error, "searched": bool(text)}


@login_required
def check_in_find(request, pk):
    """The answer to a scan or to what is typed in the search box (htmx swaps it in); the
    same as the check-in page's results, which work without JavaScript."""
    workshop = _moderated(request, pk)
    text = request.GET.get("q", "")
    context = {"workshop": workshop, "open": workshop.check_in_open(), "query": text[:200]}
    context.update(_seat_answers(request, workshop, text))
    status = 400 if context["answer_error"] else 200
    if not request.headers.get("HX-Request"):
        return _check_in_page(request, workshop, status=status)
    return render(request, "cocreation/includes/seat_answers.html", context, status=status)


@login_required
@require_POST
def check_in_seat(request, pk):
    """Check in the holder of a seat found by a scan or a search: one confirmation."""
    workshop = _moderated(request, pk)
    code = seat_pass.seat_code_normalise(request.POST.get("seat_code", ""))[:6]
    registration = (
        Registration.objects.select_related("member", "organisation", "workshop")
        .filter(workshop=workshop, seat_code=code)
        .first()
    )
    context = {"workshop": workshop, "open": workshop.check_in_open(), "searched": True}
    if registration is None:
        context.update(answers=[], answer_error=_("No seat of this workshop has this code."))
        status = 400
    else:
        try:
            registration = services.seat_check_in(registration=registration, by=request.user)
        except ForumError as error:
            registration.problem = str(error)
            context.update(answers=[registration], answer_error="")
            status = 409 if isinstance(error, services.SeatPassError) else 400
        else:
            registration.problem = ""
            context.update(
                answers=[registration],
                answer_error="",
                checked_in=registration,
                checked_in_time=services.checked_in_label(registration),
            )
            status = 200
    if request.headers.get("HX-Request"):
        return render(request, "cocreation/includes/seat_answers.html", context, status=status)
    if status == 200:
        messages.success(request, _seat_checked_in_message(registration))
    else:
        messages.error(request, context["answer_error"] or registration.problem)
    return redirect("cocreation:check_in", pk=workshop.pk)


def _seat_checked_in_message(registration) -> str:
    return _("%(name)s (%(group)s) is checked in at %(time)s.") % {
        "name": registration.member.get_full_name(),
        "group": registration.get_stakeholder_group_display(),
        "time": services.checked_in_label(registration),
    }


def _seat_of_token(token):
    """The place a seat's token names, or None for a token the portal did not sign."""
    try:
        workshop_id, code = seat_pass.seat_token_read(token)
    except seat_pass.BadSeatToken:
        return None
    return (
        Registration.objects.select_related("member", "organisation", "workshop__process")
        .filter(workshop_id=workshop_id, seat_code=code)
        .first()
    )


@login_required
def seat_pass_page(request, token):
    """The address a seat's QR code holds. Its member sees their pass (the code to show at the
    door); a facilitator of the workshop, who scanned it with a phone's own camera, is asked
    to confirm the check-in; anyone else may not see it."""
    registration = _seat_of_token(token)
    if registration is None:
        return render(
            request,
            "cocreation/seat_pass.html",
            {"error": _("This is not a seat code of this portal: it may be forged or damaged.")},
            status=400,
        )
    workshop = registration.workshop
    if permissions.can_moderate(request.user, workshop):
        registration.problem = services.seat_pass_problem(registration)
        return render(
            request,
            "cocreation/seat_check_in.html",
            {
                "workshop": workshop,
                "open": workshop.check_in_open(),
                "opens_at": workshop.check_in_opens_at(),
                "answers": [registration],
                "answer_error": "",
                "searched": True,
            },
        )
    if registration.member_id != request.user.pk:
        raise PermissionDenied
    return render(
        request,
        "cocreation/seat_pass.html",
        {"registration": registration, "workshop": workshop, "token": token},
    )


def seat_qr(request, token):
    """The QR code of a seat's pass, as SVG: it shows only its own address, so the token
    alone opens it (an <img> in "My workshops" and on the seat's page)."""
    try:
        seat_pass.seat_token_read(token)
    except seat_pass.BadSeatToken:
        raise Http404 from None
    svg = seat_pass.qr_svg(absolute_url(reverse("cocreation:seat_pass", args=[token])))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _moderated(request, pk) -> Workshop:
    workshop = _workshop(pk)
    if not permissions.can_moderate(request.user, workshop):
        raise PermissionDenied
    return workshop


@login_required
def check_in(request, pk):
    return _check_in_page(request, _moderated(request, pk))


@login_required
@require_POST
def check_in_mark(request, pk, registration_pk):
    workshop = _moderated(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, workshop=workshop)
    form = forms.CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether they attended."))
        return redirect("cocreation:check_in", pk=workshop.pk)
    try:
        services.registration_check_in(
            registration=registration, attendance=form.cleaned_data["attendance"], by=request.user
        )
        messages.success(
            request,
            _("%(name)s: %(attendance)s.")
            % {
                "name": registration.member.get_full_name(),
                "attendance": registration.get_attendance_display(),
            },
        )
    except ForumError as error:
        messages.error(request, str(error))
    return redirect("cocreation:check_in", pk=workshop.pk)


@login_required
@require_POST
def walk_in(request, pk):
    workshop = _moderated(request, pk)
    form = forms.WalkInForm(request.POST)
    member = None
    if form.is_valid():
        member = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if member is None:
        messages.error(
            request,
            _(
                "No member has this e-mail address: record them below by name and group, "
                "or ask them to sign up."
            ),
        )
        return redirect("cocreation:check_in", pk=workshop.pk)
    try:
        services.walk_in_add(workshop=workshop, member=member, by=request.user)
        messages.success(request, _("%(name)s is checked in.") % {"name": member})
    except ForumError as error:
        messages.error(request, str(error))
    return redirect("cocreation:check_in", pk=workshop.pk)


@login_required
@require_POST
def walk_in_anonymous(request, pk):
    """Someone without an account walked in: recorded by name and stakeholder group."""
    workshop = _moderated(request, pk)
    form = forms.AnonymousWalkInForm(request.POST)
    if form.is_valid():
        try:
            recorded = services.walk_in_record(
                workshop=workshop, by=request.user, **form.cleaned_data
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": recorded.name})
            return redirect("cocreation:check_in", pk=workshop.pk)
    return _check_in_page(request, workshop, anonymous_form=form, status=400)


def minutes(request, pk):
    workshop = _workshop(pk)
    moderator = permissions.can_moderate(request.user, workshop)
    current = getattr(workshop, "minutes", None)
    visible = current is not None and (current.published_at is not None or moderator)
    if request.method == "POST":
        if not moderator:
            raise PermissionDenied
        form = forms.MinutesForm(request.POST)
        if form.is_valid() and "preview" in request.POST:  # shown, not saved
            return render(
                request,
                "cocreation/minutes.html",
                {
                    "workshop": workshop,
                    "minutes": current if visible else None,
                    "moderator": moderator,
                    "form": form,
                    "preview": services.minutes_render(form.cleaned_data["text"]),
                    "attendance": selectors.attendance(workshop=workshop),
                },
            )
        if form.is_valid():
            saved = services.minutes_save(workshop=workshop, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("The minutes are published.") if saved.published_at else _("Draft saved."),
            )
            return redirect("cocreation:minutes", pk=workshop.pk)
    else:
        form = forms.MinutesForm(
            initial={
                "text": (current.source or current.text) if current else "",
                "publish": bool(current and current.published_at),
            }
        )
    return render(
        request,
        "cocreation/minutes.html",
        {
            "workshop": workshop,
            "minutes": current if visible else None,
            "moderator": moderator,
            "form": form,
            "attendance": selectors.attendance(workshop=workshop),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def moderation_queue(request):
    if not (
        permissions.can_manage_workshops(request.user)
        or request.user.facilitated_workshops.exists()
    ):
        raise PermissionDenied
    return render(
        request,
        "cocreation/moderation_queue.html",
        {"contributions": selectors.moderation_queue(viewer=request.user)},
    )
