"""What the global search finds of action plans (core/search/): the plans, their
commitments and milestones (only where the visitor may open the commitment,
selectors.visible_commitments), and the documents of their repositories."""

from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Commitment, Document, Milestone
from actionplans.selectors import visible_commitments
from core.search import registry
from core.search.registry import searchable_register


def _join(*parts) -> str:
    return "\n".join(part for part in parts if part)


def _plan(plan: ActionPlan) -> registry.Document:
    return registry.Document(
        title=plan.title,
        body=_join(plan.locality, plan.vision, plan.efforts_to_date, plan.development),
        url=plan.get_absolute_url(),
        language=plan.language,
        forum_id=plan.forum_id,
        date=plan.period_start,
    )


def _commitment(commitment: Commitment) -> registry.Document:
    plan = commitment.plan
    return registry.Document(
        title=commitment.title,
        body=_join(
            commitment.summary,
            commitment.problem,
            commitment.description,
            commitment.solution,
            commitment.values_relevance,
            commitment.government_actors,
            commitment.non_government_actors,
            commitment.policy_areas,
            commitment.additional_information,
        ),
        url=commitment.get_absolute_url(),
        language=plan.language,
        forum_id=plan.forum_id,
        date=commitment.start_date or plan.period_start,
    )


def _milestone(milestone: Milestone) -> registry.Document:
    commitment = milestone.commitment
    plan = commitment.plan
    return registry.Document(
        title=milestone.activity.strip().split("\n", 1)[0],
        body=_join(milestone.activity, milestone.deliverable, milestone.progress_note),
        url=f"{commitment.get_absolute_url()}#m{milestone.pk}",
        language=plan.language,
        forum_id=plan.forum_id,
        date=milestone.end_date or milestone.start_date or commitment.start_date,
    )


def _document(document: Document) -> registry.Document:
    plan = document.plan
    return registry.Document(
        title=document.title,
        body=document.text,
        url=document.get_absolute_url(),
        language=plan.language,
        forum_id=plan.forum_id,
        date=document.dated,
    )


# What the documents read of their plan: a save naming none of these leaves them.
PLAN_FIELDS = {"language", "forum", "forum_id", "slug"}


def _milestones_visible_to(user):
    return Milestone.objects.filter(commitment__in=visible_commitments(user).values("pk"))


searchable_register(
    kind="plan",
    label=_("Action plans"),
    model=ActionPlan,
    document=_plan,
    visible=lambda user: ActionPlan.objects.all(),
    order=50,
)
searchable_register(
    kind="commitment",
    label=_("Commitments"),
    model=Commitment,
    document=_commitment,
    visible=visible_commitments,
    order=60,
    rows=lambda: Commitment.objects.select_related("plan"),
    parents={ActionPlan: ("plan", PLAN_FIELDS | {"period_start"})},
)
searchable_register(
    kind="milestone",
    label=_("Milestones"),
    model=Milestone,
    document=_milestone,
    visible=_milestones_visible_to,
    order=65,
    rows=lambda: Milestone.objects.select_related("commitment__plan"),
    parents={
        # its document's fields, and the status that says who may open it
        Commitment: ("commitment", {"number", "start_date", "plan", "plan_id", "status"}),
        ActionPlan: ("commitment__plan", PLAN_FIELDS),
    },
)
searchable_register(
    kind="document",
    label=_("Documents"),
    model=Document,
    document=_document,
    visible=lambda user: Document.objects.all(),
    order=70,
    rows=lambda: Document.objects.select_related("plan"),
    parents={ActionPlan: ("plan", PLAN_FIELDS)},
)
