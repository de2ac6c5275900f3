"""Reasoned responses written when a contribution was taken into a draft commitment named
the draft (its number and title) in public. Those the portal wrote itself, for commitments
still in draft, now say which plan without naming the draft, in the workshop's language, as
new ones do (actionplans.services._taken_into); the pages link the commitment once it is
public. Explanations someone wrote by hand are left as they are."""

from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext


def _portal_wrote(explanation: str, commitment) -> bool:
    """"Taken into commitment <number> of <plan>: <title>." in whichever language."""
    return (
        explanation.endswith(f": {commitment.title}.")
        and commitment.plan.title in explanation
        and str(commitment.number) in explanation
    )


def forwards(apps, schema_editor):
    Commitment = apps.get_model("actionplans", "Commitment")  # noqa: N806 - a model class
    ReasonedResponse = apps.get_model("cocreation", "ReasonedResponse")  # noqa: N806
    links = Commitment.contributions.through.objects.filter(
        commitment__status="draft"
    ).select_related("commitment__plan", "contribution__workshop")
    for link in links:
        commitment = link.commitment
        response = ReasonedResponse.objects.filter(
            contribution_id=link.contribution_id, disposition="taken_into_commitment"
        ).first()
        if response is None or not _portal_wrote(response.explanation, commitment):
            continue
        language = link.contribution.workshop.language or commitment.plan.language
        with translation.override(language):
            response.explanation = gettext(
                "Taken into a commitment of %(plan)s; it is named here once it is public."
            ) % {"plan": commitment.plan.title}
        response.save(update_fields=["explanation"])


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0003_forum_required"),
        ("cocreation", "0011_minutes_source"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
