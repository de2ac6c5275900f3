"""The plan as a web page to read and print: the whole plan, or one commitment, as the PDF
holds it (the same context, `rendering.plan_document_context`), written in the plan's
language inside the portal's page. Only what the PDF publishes: public commitments; a
draft or a withdrawn commitment is not found here, whoever asks."""

from django.shortcuts import get_object_or_404, render

from actionplans import rendering
from actionplans.models import ActionPlan, Commitment


def _plan(slug) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("forum", "process"), slug=slug)


def plan_document(request, slug):
    plan = _plan(slug)
    return render(request, "actionplans/document/plan.html", rendering.plan_document_context(plan))


def commitment_document(request, slug, number):
    plan = _plan(slug)
    commitment = get_object_or_404(
        Commitment.objects.only("pk", "plan_id", "number"),
        plan=plan,
        number=number,
        status__in=Commitment.PUBLIC_STATUSES,
    )
    commitment.plan = plan  # read with it: its document reads no plan again
    context = rendering.plan_document_context(plan, commitment=commitment)
    context["commitment"] = context["commitments"][0]
    return render(request, "actionplans/document/commitment.html", context)
