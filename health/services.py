"""Forum health actions: the secretariat's thresholds and its weekly digest."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.audit.services import audit_record
from core.notifications.services import NotificationItem, notifications_send_bulk
from health import notices
from health.checks import AT_RISK, NOT_MET, health_report
from health.models import HealthThresholds
from members.models import Forum, User
from members.roles import SECRETARIAT

THRESHOLD_FIELDS = HealthThresholds.FIELDS


def thresholds_update(*, values: dict, by) -> HealthThresholds:
    """Save the limits the checks use; the change is audited (before and after)."""
    with transaction.atomic():
        thresholds = HealthThresholds.objects.select_for_update().get(
            pk=HealthThresholds.of(Forum.objects.default()).pk
        )
        before = {f: getattr(thresholds, f) for f in THRESHOLD_FIELDS}
        after = {f: values.get(f, before[f]) for f in THRESHOLD_FIELDS}
        if after == before:
            return thresholds
        for name, value in after.items():
            setattr(thresholds, name, value)
        thresholds.save()
        audit_record(
            actor=by,
            action="health.thresholds_changed",
            about=thresholds,
            before=before,
            after=after,
        )
    return thresholds


def _digest_context(report) -> dict | None:
    failing = [c for c in report.checks if c.state in (AT_RISK, NOT_MET)]
    if not failing:
        return None
    return {
        "checks": [f"{c.state_label}: {c.title}. {c.summary}" for c in failing],
        "warnings": [w.text for w in report.warnings],
        "url": reverse("health:health"),
    }


def health_digest_send(*, now: datetime | None = None) -> int:
    """The weekly digest: each member of the secretariat gets, in their own language, what is
    at risk or not met in the forum's health. Nothing is sent when all is well; a second run
    in the same week sends nothing. Returns how many digests were created."""
    now = now or timezone.now()
    year, week, _weekday = timezone.localdate(now).isocalendar()
    secretariat = User.objects.filter(groups__name=SECRETARIAT, is_active=True).distinct()
    contexts = {}  # one report per language
    items = []
    for member in secretariat:
        language = member.preferred_language or settings.LANGUAGE_CODE
        if language not in contexts:
            with translation.override(language):
                contexts[language] = _digest_context(health_report(now=now))
        if contexts[language] is None:
            continue  # all is well
        key = f"health_digest:{year}-W{week:02d}:{member.pk}"
        items.append(NotificationItem(member, None, contexts[language], key))
    return notifications_send_bulk(kind=notices.HEALTH_DIGEST, items=items)
