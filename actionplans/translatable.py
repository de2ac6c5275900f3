"""What is written here that readers in other languages get machine-translated
(core/translation/), on the commitment's page only: the action plan's PDF and the
register of reasoned responses stay as written."""

from actionplans.models import Commitment, ConsultationComment
from core.translation.registry import translatable_register

translatable_register(Commitment, ["title", "summary", "problem", "description", "solution"])
translatable_register(ConsultationComment, ["text", "response"])
