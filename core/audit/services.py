from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core.audit.models import AuditEntry


def audit_record(*, actor, action: str, about, **data) -> AuditEntry:
    """Record a state change. Call it inside the transaction that makes the change, so the
    entry exists exactly when the change does."""
    assert transaction.get_connection().in_atomic_block, "audit inside the change's transaction"
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        about_type=ContentType.objects.get_for_model(about),
        about_id=str(about.pk),
        data={key: _plain(value) for key, value in data.items()},
    )


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
