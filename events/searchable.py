"""What the global search finds of events (core/search/): each event where the visitor may
open it (permissions.can_view)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search.registry import Document, searchable_register
from events.models import Event
from events.selectors import events_visible_to


def _event(event: Event) -> Document:
    return Document(
        title=event.title,
        body="\n".join([event.description, event.city, event.partners]),
        url=event.get_absolute_url(),
        language=event.language,
        forum_id=event.forum_id,
        date=timezone.localtime(event.starts_at, event.zone).date(),
    )


searchable_register(
    kind="event",
    label=_("Events"),
    model=Event,
    document=_event,
    visible=events_visible_to,
    order=80,
)
