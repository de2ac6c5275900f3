"""Pages for guests: people who register for an event open to them without an account.
They ask on the event's page (events.views.guest_register), confirm their address with the
link e-mailed to them, and see or cancel their place with the links in the next e-mail
(the secret token is the key: they have no account). A link that leads nowhere is a 404
page, one that worked once (a cancelled place, an expired request) a 410 page, each saying
what to do."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.timezones import time_label
from events import services
from events.models import Event, EventRegistration


def _link_error(request, error: services.GuestLinkError, event: Event | None = None):
    return render(
        request,
        "events/guest_link_error.html",
        {"message": str(error), "event": event or error.event, "gone": error.gone},
        status=410 if error.gone else 404,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def guest_confirm(request, token):
    """The link in the first e-mail: a page with one button (a mail program that opens
    links to check them confirms nothing), which confirms the address and the place."""
    try:
        pending = services.guest_request_of(token=token)
    except services.GuestLinkError as error:
        return _link_error(request, error)
    if pending is None:  # opened again after confirming
        try:
            services.guest_registration_of(token=token)
        except services.GuestLinkError as error:  # and cancelled since
            return _link_error(request, error)
        messages.info(request, _("Your registration is already confirmed."))
        return redirect("events:guest_status", token)
    if request.method == "POST":
        try:
            registration = services.guest_confirm(token=token)
        except services.GuestLinkError as error:
            return _link_error(request, error, pending.event)
        except services.RegistrationError as error:
            messages.error(request, str(error))
            return redirect(pending.event)
        if registration.status == EventRegistration.Status.CONFIRMED:
            messages.success(request, _("Your place is confirmed. We have sent you an e-mail."))
        else:
            messages.info(
                request,
                _("The event is full: you are number %(position)d on the waiting list.")
                % {"position": services.waiting_position(registration)},
            )
        return redirect("events:guest_status", token)
    event = pending.event
    return render(
        request,
        "events/guest_confirm.html",
        {
            "event": event,
            "pending": pending,
            "starts_label": time_label(event.starts_at, event.zone),
        },
    )


@never_cache
def guest_status(request, token):
    """The guest's registration: their place or their number on the waiting list, the link to
    join online once the place is theirs, and the way to cancel."""
    try:
        registration = services.guest_registration_of(token=token)
    except services.GuestLinkError as error:
        return _link_error(request, error)
    event = registration.event
    return render(
        request,
        "events/guest_status.html",
        {
            "event": event,
            "registration": registration,
            "waiting_position": services.waiting_position(registration),
            "starts_label": time_label(event.starts_at, event.zone),
            "days": settings.EVENTS_GUEST_DATA_DAYS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def guest_cancel(request, token):
    """The cancel link of the e-mails: a page that asks, a button that cancels."""
    try:
        registration = services.guest_registration_of(token=token)
    except services.GuestLinkError as error:
        return _link_error(request, error)
    event = registration.event
    if request.method == "POST":
        try:
            services.guest_cancel(token=token)
        except services.GuestLinkError as error:  # cancelled at the same moment
            return _link_error(request, error, event)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(event)
    return render(
        request,
        "events/guest_cancel.html",
        {
            "event": event,
            "registration": registration,
            "starts_label": time_label(event.starts_at, event.zone),
        },
    )
