"""What members write here that readers in other languages get machine-translated
(core/translation/)."""

from cocreation.models import Comment, Contribution, ReasonedResponse
from core.translation.registry import translatable_register

translatable_register(Contribution, ["title", "text"])
translatable_register(Comment, ["text"])
translatable_register(ReasonedResponse, ["explanation"])
