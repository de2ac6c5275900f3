from core.audit.models import AuditEntry
from core.personal_data import rows


def personal_data_of(*, member) -> dict:
    """The changes `member` made that the audit trail records, for "download my data"."""
    return {
        "actions_recorded": rows(AuditEntry.objects.filter(actor=member), "action", "created_at")
    }
