"""What the global search finds of co-creation (core/search/): workshops, contributions and
their reasoned responses, each only where the visitor may open it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreation.models import CoCreationProcess, Contribution, ReasonedResponse, Workshop
from cocreation.selectors import (
    contributions_visible_to,
    responses_visible_to,
    workshops_visible_to,
)
from core.search.registry import Document, searchable_register

# What contributions and responses read of their workshop: for their documents, and for
# whether anonymous visitors may open them (the index keeps that: core/search/models.py).
WORKSHOP_FIELDS = {"language", "process", "process_id", "status"}
# ... and what responses read of their contribution.
CONTRIBUTION_FIELDS = {"title", "workshop", "workshop_id", "status"}
CONTRIBUTION_FIELDS |= {"merged_into", "merged_into_id"}


def _day(moment, zone=None):
    return timezone.localtime(moment, zone).date() if moment else None


def _workshop(workshop: Workshop) -> Document:
    return Document(
        title=workshop.title,
        body="\n".join([workshop.description, workshop.agenda, workshop.venue]),
        url=workshop.get_absolute_url(),
        language=workshop.language,
        forum_id=workshop.process.forum_id,
        date=_day(workshop.starts_at, workshop.zone),
    )


def _contribution(contribution: Contribution) -> Document:
    workshop = contribution.workshop
    return Document(
        title=contribution.title,
        body=contribution.text,
        url=contribution.get_absolute_url(),
        language=workshop.language,
        forum_id=workshop.process.forum_id,
        date=_day(contribution.created_at),
    )


def _response(response: ReasonedResponse) -> Document:
    contribution = response.contribution
    workshop = contribution.workshop
    return Document(
        title=contribution.title,
        body=response.explanation,
        url=contribution.get_absolute_url(),
        language=workshop.language,
        forum_id=workshop.process.forum_id,
        date=_day(response.responded_at),
    )


searchable_register(
    kind="workshop",
    label=_("Workshops"),
    model=Workshop,
    document=_workshop,
    visible=workshops_visible_to,
    order=20,
    rows=lambda: Workshop.objects.select_related("process"),
    parents={CoCreationProcess: ("process", {"forum", "forum_id"})},
)
searchable_register(
    kind="contribution",
    label=_("Contributions"),
    model=Contribution,
    document=_contribution,
    visible=contributions_visible_to,
    order=30,
    rows=lambda: Contribution.objects.select_related("workshop__process"),
    parents={Workshop: ("workshop", WORKSHOP_FIELDS)},
)
searchable_register(
    kind="response",
    label=_("Reasoned responses"),
    model=ReasonedResponse,
    document=_response,
    visible=responses_visible_to,
    order=40,
    rows=lambda: ReasonedResponse.objects.select_related("contribution__workshop__process"),
    parents={
        Contribution: ("contribution", CONTRIBUTION_FIELDS),
        Workshop: ("contribution__workshop", WORKSHOP_FIELDS),
    },
)
