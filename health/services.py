"""Forum health actions, per forum: its secretariat's thresholds and weekly digest, and the
IRM evidence pack of its plans."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actionplans.models import ActionPlan
from core.audit.services import audit_record
from core.errors import require
from core.notifications.services import NotificationItem, notifications_send_bulk
from core.queue import long_task_enqueue_on_commit
from health import evidence, notices, permissions
from health.checks import AT_RISK, NOT_MET, health_report
from health.models import EvidencePack, HealthThresholds
from members.models import Forum, ForumRole

THRESHOLD_FIELDS = HealthThresholds.FIELDS


def thresholds_update(*, forum: Forum, values: dict, by) -> HealthThresholds:
    """Save the limits `forum`'s checks use; only its own secretariat may. The change is
    audited (before and after)."""
    require(
        permissions.can_edit_thresholds(by, forum),
        _("Only the secretariat of %(forum)s sets its forum health thresholds.")
        % {"forum": forum.name},
    )
    with transaction.atomic():
        thresholds = HealthThresholds.objects.select_for_update().get(
            pk=HealthThresholds.of(forum).pk
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
        "forum": report.forum.name,
        "checks": [f"{c.state_label}: {c.title}. {c.summary}" for c in failing],
        "warnings": [w.text for w in report.warnings],
        "url": reverse("health:forum_health", args=[report.forum.slug]),
    }


def health_digest_send(*, now: datetime | None = None) -> int:
    """The weekly digest: each forum's secretariat gets, in each member's own language, what
    is at risk or not met in that forum's health; a member who runs two forums gets two
    digests, each naming its forum. Nothing is sent for a forum where all is well; a second
    run in the same week sends nothing. Returns how many digests were created."""
    now = now or timezone.now()
    year, week, _weekday = timezone.localdate(now).isocalendar()
    roles = (
        ForumRole.objects.filter(role=ForumRole.Role.SECRETARIAT, member__is_active=True)
        .select_related("forum", "member")
        .order_by("forum_id", "member_id")
    )
    contexts = {}  # one report per forum and language
    items = []
    for role in roles:
        forum, member = role.forum, role.member
        language = member.preferred_language or settings.LANGUAGE_CODE
        if (forum.pk, language) not in contexts:
            with translation.override(language):
                contexts[forum.pk, language] = _digest_context(
                    health_report(forum=forum, now=now, include_drafts=True)
                )
        if contexts[forum.pk, language] is None:
            continue  # all is well in this forum
        key = f"health_digest:{forum.pk}:{year}-W{week:02d}:{member.pk}"
        items.append(NotificationItem(member, forum, contexts[forum.pk, language], key))
    return notifications_send_bulk(kind=notices.HEALTH_DIGEST, items=items)


# --- The IRM evidence pack -------------------------------------------------------------------

PACK_QUEUE_TIMEOUT = timedelta(minutes=10)  # queued and no worker picked it up
PACK_BUILD_TIMEOUT = timedelta(minutes=30)  # being built, and the worker never finished


def evidence_packs_expire(*, now: datetime | None = None) -> int:
    """Mark failed the packs that no worker picked up in time, or whose worker died while
    building them: their page then offers to try again. Returns how many were given up."""
    now = now or timezone.now()
    return EvidencePack.objects.filter(
        Q(status=EvidencePack.Status.QUEUED, created_at__lt=now - PACK_QUEUE_TIMEOUT)
        | Q(status=EvidencePack.Status.RUNNING, created_at__lt=now - PACK_BUILD_TIMEOUT)
    ).update(
        status=EvidencePack.Status.FAILED,
        error="No worker built it in time; it was given up.",
        finished_at=now,
    )


def pack_language(language: str | None) -> str:
    """One of the portal's languages: the one asked for, or the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = (language or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def evidence_pack_request(*, plan: ActionPlan, language: str, by) -> EvidencePack:
    """`plan`'s IRM evidence pack in `language`: one built from the same public record (the
    same fingerprint) is reused, one waiting or being built is returned as it is; otherwise
    (none, or the last one failed) a new one is queued after the commit. Without a broker,
    or with the broker down, it is built in a background thread of this process: either way
    the request returns at once and the pack's page shows the progress. Only the plan's
    forum's secretariat may ask."""
    require(
        permissions.can_build_evidence_pack(by, plan),
        _("Only the secretariat of %(forum)s builds the evidence packs of its plans.")
        % {"forum": plan.forum.name},
    )
    evidence_packs_expire()
    language = pack_language(language)
    print_ = evidence.evidence_fingerprint(plan, language)
    existing = (
        EvidencePack.objects.filter(plan=plan, language=language, fingerprint=print_)
        .exclude(status=EvidencePack.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    with transaction.atomic():
        pack = EvidencePack.objects.create(
            plan=plan, language=language, fingerprint=print_, requested_by=by
        )
        long_task_enqueue_on_commit(
            "health.build_evidence_pack", pack.pk, in_process=evidence.evidence_pack_build
        )
    return pack
