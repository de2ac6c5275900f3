"""The meetings a forum held outside the portal (issue 31): recorded by its secretariat, one
by one in the back office or many from a spreadsheet (the import of members.imports, with
the content "meetings" that this module registers), so that forum health counts the
history the portal did not see (health.checks reads `PastMeeting` beside the workshops).

A past meeting is the same record whichever way it came: its day and title are the forum's
own (one meeting of that title a day, the title compared as members.imports.normalised
compares names), so that importing the same file twice records nothing new."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreation import permissions
from cocreation.models import PastMeeting, Workshop
from core.audit.services import audit_record
from core.errors import ForumError, require
from core.uploads import upload_refusal
from members.imports import normalised
from members.models import Forum

EARLIEST = date(1990, 1, 1)  # a day before it is a typing mistake, not a forum's history
MOST_PRESENT = 100_000


class PastMeetingError(ForumError):
    """A past meeting that cannot be recorded as given; `fields` maps the form's fields to
    messages."""

    def __init__(self, message="", *, field: str | None = None):
        super().__init__(message)
        self.fields = {field: [str(message)]} if field else {}


@dataclass(frozen=True)
class MeetingFacts:
    """What the secretariat says of a past meeting."""

    held_on: date
    title: str
    kind: str = Workshop.Kind.FORUM_MEETING
    minutes_url: str = ""
    minutes_file: object = None  # an uploaded file, kept as the minutes
    present_government: int | None = None
    present_non_government: int | None = None


def _require(forum: Forum, by) -> None:
    require(
        permissions.can_record_past_meetings(by, forum),
        _("Only the forum's secretariat records its past meetings."),
    )


def same_meeting(forum: Forum, held_on: date, title: str, *, other_than=None):
    """The forum's meeting of that day whose title is `title` but for case, accents,
    punctuation and spaces; None when there is none."""
    key = normalised(title)
    meetings = PastMeeting.objects.filter(forum=forum, held_on=held_on)
    if other_than is not None:
        meetings = meetings.exclude(pk=other_than.pk)
    for meeting in meetings.only("pk", "title", "held_on", "kind"):
        if normalised(meeting.title) == key:
            return meeting
    return None


def _facts_check(forum: Forum, facts: MeetingFacts, *, other_than=None) -> MeetingFacts:
    title = " ".join((facts.title or "").split())
    if not title:
        raise PastMeetingError(_("Give the meeting's title."), field="title")
    if len(title) > 200:
        raise PastMeetingError(_("The title is longer than 200 characters."), field="title")
    if facts.kind not in Workshop.Kind.values:
        raise PastMeetingError(_("Choose the kind of meeting."), field="kind")
    today = timezone.localdate()
    if facts.held_on is None:
        raise PastMeetingError(_("Give the day of the meeting."), field="held_on")
    if facts.held_on > today:
        raise PastMeetingError(
            _("A past meeting was held today or earlier: schedule one to come as a workshop."),
            field="held_on",
        )
    if facts.held_on < EARLIEST:
        raise PastMeetingError(
            _("The day is before %(year)d: check the year.") % {"year": EARLIEST.year},
            field="held_on",
        )
    url = (facts.minutes_url or "").strip()
    if url:
        if "://" not in url:
            url = "https://" + url
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise PastMeetingError(
                _("Give the link to the minutes as a web address (https://…)."),
                field="minutes_url",
            ) from None
        if len(url) > 500:
            raise PastMeetingError(
                _("The link is longer than 500 characters."), field="minutes_url"
            )
    if facts.minutes_file and (refusal := upload_refusal(facts.minutes_file)):
        raise PastMeetingError(refusal, field="minutes_file")
    for field in ("present_government", "present_non_government"):
        value = getattr(facts, field)
        if value is not None and not 0 <= value <= MOST_PRESENT:
            raise PastMeetingError(
                _("Give a number from 0 to %(most)d.") % {"most": MOST_PRESENT}, field=field
            )
    if same_meeting(forum, facts.held_on, title, other_than=other_than) is not None:
        raise PastMeetingError(
            _("A meeting of this title on this day is recorded already."), field="title"
        )
    return MeetingFacts(
        held_on=facts.held_on,
        title=title,
        kind=facts.kind,
        minutes_url=url,
        minutes_file=facts.minutes_file,
        present_government=facts.present_government,
        present_non_government=facts.present_non_government,
    )


def _saved(meeting: PastMeeting, field: str = "title") -> None:
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # recorded by someone else a moment ago
        raise PastMeetingError(
            _("A meeting of this title on this day is recorded already."), field=field
        ) from None


def past_meeting_record(
    *, forum: Forum, facts: MeetingFacts, by, member_import=None
) -> PastMeeting:
    """Record a meeting the forum held outside the portal (its secretariat only)."""
    _require(forum, by)
    facts = _facts_check(forum, facts)
    with transaction.atomic():
        meeting = PastMeeting(
            forum=forum,
            kind=facts.kind,
            held_on=facts.held_on,
            title=facts.title,
            minutes_url=facts.minutes_url,
            present_government=facts.present_government,
            present_non_government=facts.present_non_government,
            recorded_by=by if getattr(by, "pk", None) else None,
            member_import=member_import,
        )
        if facts.minutes_file:
            meeting.minutes_file.save(facts.minutes_file.name, facts.minutes_file, save=False)
        _saved(meeting)
        audit_record(
            actor=by,
            action="past_meeting.record",
            about=meeting,
            forum=forum.slug,
            held_on=facts.held_on.isoformat(),
            title=facts.title,
        )
    return meeting


def past_meeting_update(
    *, past_meeting: PastMeeting, facts: MeetingFacts, by, file_remove: bool = False
) -> PastMeeting:
    """Correct a recorded meeting; a new file replaces the minutes kept, `file_remove`
    takes it away (its secretariat only)."""
    _require(past_meeting.forum, by)
    facts = _facts_check(past_meeting.forum, facts, other_than=past_meeting)
    old_file = past_meeting.minutes_file.name if past_meeting.minutes_file else ""
    storage = past_meeting.minutes_file.storage
    with transaction.atomic():
        past_meeting.kind = facts.kind
        past_meeting.held_on = facts.held_on
        past_meeting.title = facts.title
        past_meeting.minutes_url = facts.minutes_url
        past_meeting.present_government = facts.present_government
        past_meeting.present_non_government = facts.present_non_government
        if facts.minutes_file:
            past_meeting.minutes_file.save(facts.minutes_file.name, facts.minutes_file, save=False)
        elif file_remove:
            past_meeting.minutes_file = ""
        _saved(past_meeting)
        audit_record(
            actor=by,
            action="past_meeting.update",
            about=past_meeting,
            forum=past_meeting.forum.slug,
        )
        if old_file and old_file != (past_meeting.minutes_file.name or ""):
            transaction.on_commit(lambda: storage.delete(old_file))
    return past_meeting


def past_meeting_delete(*, past_meeting: PastMeeting, by) -> None:
    """Take a recorded meeting out of the forum's history (its secretariat only); its
    minutes file goes with it."""
    _require(past_meeting.forum, by)
    stored = past_meeting.minutes_file.name if past_meeting.minutes_file else ""
    storage = past_meeting.minutes_file.storage
    with transaction.atomic():
        audit_record(
            actor=by,
            action="past_meeting.delete",
            about=past_meeting,
            forum=past_meeting.forum.slug,
            held_on=past_meeting.held_on.isoformat(),
            title=past_meeting.title,
        )
        past_meeting.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
