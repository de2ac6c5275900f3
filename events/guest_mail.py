"""The e-mails to guests: people registered for an event without an account.

Members are told through core.notifications (a row per notice, shown on the site, sent by
its outbox); a guest has no account to hold such rows, so their few e-mails (confirm your
address; your place, your waiting place, a place became yours) are rendered here, in the
language the guest used on the site, and sent by a thin task after the transaction commits
(`events.send_guest_mail`). The links in them carry the guest's secret token: it confirms
the address, shows the place and cancels it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.notifications.services import sender_address
from core.queue import task_enqueue_on_commit
from core.site import absolute_url
from core.timezones import time_label
from events.calendar import event_ical, events_calendar
from events.models import EventRegistration, GuestRequest

logger = logging.getLogger(__name__)

CONFIRM = "confirm"  # about a GuestRequest: confirm your address
CONFIRMED = "confirmed"  # about an EventRegistration: your place
WAITING = "waiting"  # your place on the waiting list
PROMOTED = "promoted"  # a place became free and is yours
KINDS = (CONFIRM, CONFIRMED, WAITING, PROMOTED)


def guest_mail_queue(*, kind: str, pk: int) -> None:
    """Send the e-mail `kind` about the request or registration `pk` once the transaction
    commits; with the broker down, at once in this process."""
    if kind not in KINDS:
        raise ValueError(f"unknown guest e-mail {kind!r}")
    task_enqueue_on_commit(
        "events.send_guest_mail",
        kind,
        pk,
        on_broker_down=lambda: guest_mail_send(kind=kind, pk=pk),
    )


def _message_of_request(request: GuestRequest) -> dict:
    return {
        "to": request.email,
        "language": request.language,
        "event": request.event,
        "name": request.name,
        "confirm_url": absolute_url(reverse("events:guest_confirm", args=[request.token])),
        "hours": settings.EVENTS_GUEST_REQUEST_HOURS,
    }


def _message_of_registration(registration: EventRegistration, kind: str) -> dict:
    event = registration.event
    data = {
        "to": registration.guest_email,
        "language": registration.guest_language,
        "event": event,
        "name": registration.guest_name,
        "status_url": absolute_url(reverse("events:guest_status", args=[registration.guest_token])),
        "cancel_url": absolute_url(reverse("events:guest_cancel", args=[registration.guest_token])),
        "days": settings.EVENTS_GUEST_DATA_DAYS,
    }
    if kind in (CONFIRMED, PROMOTED) and event.online_link:
        data["online_link"] = event.online_link
    if kind == WAITING:
        # The number on the list when the e-mail goes, counted as the pages count it.
        data["position"] = (
            EventRegistration.objects.filter(
                event_id=event.pk, status=EventRegistration.Status.WAITING, id__lt=registration.pk
            ).count()
            + 1
        )
    return data


def guest_mail_message(*, kind: str, pk: int) -> EmailMultiAlternatives | None:
    """The e-mail `kind` about the request or registration `pk`, in the guest's language;
    None when there is nothing to send any more (the request was confirmed or expired, the
    place was cancelled or its holder's data erased)."""
    if kind == CONFIRM:
        request = GuestRequest.objects.select_related("event").filter(pk=pk).first()
        if request is None:
            return None
        data = _message_of_request(request)
    else:
        registration = (
            EventRegistration.objects.select_related("event")
            .filter(pk=pk, member__isnull=True)
            .exclude(status=EventRegistration.Status.CANCELLED)
            .exclude(guest_email="")
            .first()
        )
        if registration is None:
            return None
        if kind == WAITING and registration.status != EventRegistration.Status.WAITING:
            return None  # a place came before the e-mail went: the "promoted" one tells
        data = _message_of_registration(registration, kind)
    event = data["event"]
    language = data["language"] or settings.LANGUAGE_CODE
    with translation.override(language):
        data.update(
            about=event,
            site_name=settings.SITE_NAME,
            starts_at=time_label(event.starts_at, event.zone, language),
        )
        subject = " ".join(render_to_string(f"events/guest_mail/{kind}.subject.txt", data).split())[
            :300
        ]
        body = render_to_string(f"events/guest_mail/{kind}.body.txt", data).strip()
        text = render_to_string(
            "events/guest_mail/email.txt", {"body": body, "site_name": settings.SITE_NAME}
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender_address(),
        to=[data["to"]],
        headers={"Auto-Submitted": "auto-generated", "X-Forum-Notification": f"guest_{kind}"},
    )
    if kind in (CONFIRMED, PROMOTED):
        message.attach(
            f"event-{event.pk}.ics",
            events_calendar([event_ical(event)], name=event.title),
            "text/calendar",
        )
    return message


def guest_mail_send(*, kind: str, pk: int) -> bool:
    """Send the e-mail now. False when there was nothing to send."""
    message = guest_mail_message(kind=kind, pk=pk)
    if message is None:
        return False
    message.send()
    return True
