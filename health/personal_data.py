"""What forum health holds on a member: the IRM evidence packs they asked to build (who
asked is kept for the administrator; the pack itself holds only public content)."""

from core.personal_data import personal_data_register, rows
from health.models import EvidencePack


def personal_data_of(*, member) -> dict:
    return {
        "evidence_packs_requested": rows(
            EvidencePack.objects.filter(requested_by=member),
            "plan__title",
            "language",
            "created_at",
        )
    }


personal_data_register(
    app_label="standards",
    export=personal_data_of,
    kept=(
        "An evidence pack's requester becomes empty when the account goes (the foreign key "
        "is set to null); the pack holds only the plan's public record."
    ),
)
