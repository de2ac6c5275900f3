"""What organisers write that readers in other languages get machine-translated
(core/translation/)."""

from core.translation.registry import translatable_register
from events.models import Event

translatable_register(Event, ["description"])
