"""Actions on action plans: drafting commitments (with versions and edit conflicts), the
review workflow and the co-chairs' sign-offs, consultation comments and their reasoned
responses, milestone progress, the document repository, and the periodic milestone and
consultation notices. Views, the admin, commands and tasks all call these."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from actionplans import notices, permissions, rendering, selectors
from actionplans.models import (
    DRAFTED_FIELDS,
    ActionPlan,
    Commitment,
    CommitmentVersion,
    ConsultationComment,
    Document,
    Milestone,
    MilestoneAssessment,
    PlanExport,
    SignOff,
    challenge_areas_ordered,
    continuation_error,
    validate_challenge_areas,
)
from cocreation.models import Contribution, organisation_now
from cocreation.services import contribution_taken_into_commitment
from core.audit.services import audit_record
from core.errors import ForumError, require
from core.notifications.reminders import reminder_timing
from core.notifications.services import (
    NotificationItem,
    notification_send,
    notifications_send_bulk,
)
from core.queue import long_task_enqueue_on_commit, task_enqueue_on_commit
from core.site import absolute_url
from core.translation.services import translations_request_for
from core.uploads import upload_refusal
from members.models import ForumRole, MembershipStatus, StakeholderGroup, User

S = Commitment.Status

IRM_FIELDS = [
    "ogp_id",
    "irm_verifiable",
    "irm_open_government_lens",
    "irm_potential_results",
    "irm_completion",
    "irm_early_results",
]
MILESTONE_PLAN_FIELDS = ["activity", "deliverable", "start_date", "end_date", "responsible"]
MILESTONE_PROGRESS_FIELDS = ["completion", "completed_on", "evidence_url", "progress_note"]
MILESTONE_ASSESSMENT_FIELDS = ["completion", "evidence_url", "evidence", "note"]

logger = logging.getLogger(__name__)


class ActionPlanError(ForumError):
    """An action on a plan or commitment that cannot be done; the message is for the person."""


class EditConflict(ActionPlanError):
    """Someone saved the commitment since this person opened it. Carries the version they
    started from and the current one, so the page can show what changed meanwhile."""

    def __init__(self, *, base: CommitmentVersion | None, current: CommitmentVersion):
        self.base = base
        self.current = current
        super().__init__(
            _(
                "%(name)s saved this commitment at %(when)s, while you were editing it. "
                "Your text is kept below; compare it with the changes shown and save again."
            )
            % {
                "name": current.saved_by.public_name if current.saved_by else _("Someone"),
                "when": formats.time_format(timezone.localtime(current.saved_at)),
            }
        )


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def commitment_snapshot(commitment: Commitment) -> dict:
    """The drafted fields as plain values: what a version stores and a diff compares."""
    return {name: _plain(getattr(commitment, name)) for name in DRAFTED_FIELDS}


def _version_record(commitment: Commitment, by) -> CommitmentVersion:
    return CommitmentVersion.objects.create(
        commitment=commitment,
        number=commitment.version,
        fields=commitment_snapshot(commitment),
        saved_by=by if getattr(by, "pk", None) else None,
    )


def _locked(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


# --- Drafting ------------------------------------------------------------------------------


def commitment_create(
    *, plan: ActionPlan, title: str, by, co_drafters=(), contributions=(), **fields
) -> Commitment:
    """A new draft commitment at the end of the plan; its first version is kept."""
    require(permissions.can_create_commitment(by, plan))
    if not title.strip():
        raise ActionPlanError(_("A commitment needs a title."))
    with transaction.atomic():
        ActionPlan.objects.select_for_update().get(pk=plan.pk)  # numbers stay unique
        last = plan.commitments.aggregate(n=Max("number"))["n"] or 0
        commitment = Commitment.objects.create(
            plan=plan, number=last + 1, title=title.strip(), **fields
        )
        drafters = list(co_drafters) or ([by] if getattr(by, "pk", None) else [])
        commitment.co_drafters.set(drafters)
        if contributions:
            _contributions_link(commitment, list(contributions), by)
        _version_record(commitment, by)
        audit_record(actor=by, action="commitment.created", about=commitment, after=S.DRAFT)
    return commitment


def _continuation_check(commitment: Commitment, earlier: Commitment | None, by) -> None:
    """Only the secretariat says which commitment of an earlier plan of the forum one
    carries over."""
    if not permissions.can_link_commitments(by, commitment.plan):
        raise ActionPlanError(
            _("Only the secretariat says which earlier commitment a commitment continues.")
        )
    if earlier is not None:
        error = continuation_error(commitment, earlier)
        if error:
            raise ActionPlanError(error)


def commitment_save(*, commitment: Commitment, data: dict, base_version: int, by) -> Commitment:
    """Save the drafted fields. Refused with EditConflict when someone saved since
    `base_version` (the version the person's form was opened at): nobody's text is lost."""
    if not permissions.can_edit_commitment(by, commitment):
        raise ActionPlanError(_("Only a draft's co-drafters and the secretariat can edit it."))
    with transaction.atomic():
        commitment = _locked(commitment)
        if commitment.version != base_version:
            versions = {
                v.number: v
                for v in commitment.versions.filter(
                    number__in=[base_version, commitment.version]
                ).select_related("saved_by")
            }
            raise EditConflict(
                base=versions.get(base_version), current=versions[commitment.version]
            )
        before = commitment_snapshot(commitment)
        if "challenge_areas" in data:
            try:
                validate_challenge_areas(data["challenge_areas"])
            except ValidationError as error:
                raise ActionPlanError(error.messages[0]) from None
            data = {**data, "challenge_areas": challenge_areas_ordered(data["challenge_areas"])}
        if "continues" in data and data["continues"] != commitment.continues:
            _continuation_check(commitment, data["continues"], by)
        for name in DRAFTED_FIELDS:
            if name in data:
                setattr(commitment, name, data[name])
        after = commitment_snapshot(commitment)
        if after == before:
            return commitment
        commitment.version += 1
        commitment.save()
        _version_record(commitment, by)
        audit_record(
            actor=by,
            action="commitment.edited",
            about=commitment,
            version=commitment.version,
            fields=",".join(name for name in DRAFTED_FIELDS if before[name] != after[name]),
        )
    return commitment


def commitment_co_drafters_set(*, commitment: Commitment, members, by) -> None:
    members = list(members)
    if not members:
        raise ActionPlanError(_("A commitment needs at least one co-drafter."))
    with transaction.atomic():
        commitment.co_drafters.set(members)
        audit_record(
            actor=by,
            action="commitment.co_drafters",
            about=commitment,
            after=",".join(str(m.pk) for m in members),
        )


def _contributions_link(commitment: Commitment, contributions, by) -> None:
    """Record that `commitment` grew from these contributions and say so in each one's
    reasoned response (co-creation's service: it checks that `by` may answer them, audits
    and tells the author), unless a facilitator already answered it otherwise.

    The response is public: it names a draft's title and number only once the commitment is
    public (until then the contribution's pages do not link it either). It is written in the
    language of the workshop the contribution was posted in (the plan's if it has none), not
    in the language of the page of the person who links it."""
    commitment.contributions.add(*contributions)
    for contribution in contributions:
        language = contribution.workshop.language or commitment.plan.language
        with translation.override(language):
            explanation = _taken_into(commitment)
        contribution_taken_into_commitment(
            contribution=contribution, explanation=explanation, by=by
        )


def _taken_into(commitment: Commitment) -> str:
    if commitment.is_public:
        return _("Taken into commitment %(number)s of %(plan)s: %(title)s.") % {
            "number": commitment.number,
            "plan": commitment.plan.title,
            "title": commitment.title,
        }
    return _("Taken into a commitment of %(plan)s; it is named here once it is public.") % {
        "plan": commitment.plan.title
    }


def commitment_contributions_link(*, commitment: Commitment, contributions, by) -> None:
    require(permissions.can_edit_commitment(by, commitment))
    with transaction.atomic():
        _contributions_link(commitment, list(contributions), by)
        audit_record(
            actor=by,
            action="commitment.contributions_linked",
            about=commitment,
            after=",".join(str(c.pk) for c in contributions),
        )


# --- Workflow ------------------------------------------------------------------------------


def commitment_transition(*, commitment: Commitment, to: str, by, reason: str = "") -> Commitment:
    """Move a commitment along its workflow. Validation is not a transition anyone makes:
    it follows from both co-chairs' sign-offs (commitment_sign_off)."""
    reason = reason.strip()
    with transaction.atomic():
        commitment = _locked(commitment)
        if (commitment.status, to) not in permissions.TRANSITIONS:
            raise ActionPlanError(
                _("A commitment cannot go from “%(from)s” to “%(to)s”.")
                % {"from": commitment.get_status_display(), "to": S(to).label}
            )
        if not permissions.can_transition(by, commitment, to):
            raise ActionPlanError(_("You may not make this change."))
        if to == S.WITHDRAWN and not reason:
            raise ActionPlanError(_("Say why the commitment is withdrawn."))
        before = commitment.status
        commitment.status = to
        commitment.withdrawn_reason = reason if to == S.WITHDRAWN else ""
        commitment.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        if to in (S.DRAFT, S.WITHDRAWN):
            # Back to drafting: a new review needs new sign-offs.
            commitment.sign_offs.all().delete()
        audit_record(
            actor=by,
            action="commitment.transition",
            about=commitment,
            before=before,
            after=to,
            reason=reason,
        )
        if to == S.INCLUDED:
            contributors_tell(commitment=commitment, kind=notices.IDEA_COMMITMENT_INCLUDED, by=by)
    return commitment


def commitment_sign_off(*, commitment: Commitment, by) -> SignOff:
    """A co-chair signs off for their stakeholder group; the second group's sign-off
    validates the commitment."""
    with transaction.atomic():
        commitment = _locked(commitment)
        allowed, why = permissions.can_sign_off(by, commitment)
        if not allowed:
            raise ActionPlanError(why)
        group = permissions.co_chair_group(by, commitment.plan.forum_id)
        sign_off = SignOff.objects.create(
            commitment=commitment, stakeholder_group=group, co_chair=by
        )
        audit_record(actor=by, action="commitment.signed_off", about=commitment, group=group)
        if commitment.sign_offs.count() == len(StakeholderGroup.choices):
            commitment.status = S.VALIDATED
            commitment.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=by,
                action="commitment.transition",
                about=commitment,
                before=S.FORUM_REVIEW,
                after=S.VALIDATED,
                reason="both co-chairs signed off",
            )
            contributors_tell(commitment=commitment, kind=notices.IDEA_COMMITMENT_VALIDATED, by=by)
    return sign_off


# --- What became of the ideas: their authors are told each step -----------------------------

TAKEN_COMMENTS = (
    ConsultationComment.Disposition.TAKEN,
    ConsultationComment.Disposition.PARTLY_TAKEN,
)


def contributors_of(commitment: Commitment) -> list[tuple[User, list[str]]]:
    """The members `commitment` grew from, each once, with the titles of their published
    contributions it grew from: the authors of those contributions and of the consultation
    comments taken (or partly taken) into it. Former members are left out."""
    people: dict[int, tuple[User, list[str]]] = {}
    for contribution in (
        commitment.contributions.filter(
            status=Contribution.Status.PUBLISHED, author__is_active=True
        )
        .select_related("author")
        .order_by("created_at", "id")
    ):
        people.setdefault(contribution.author_id, (contribution.author, []))[1].append(
            contribution.title
        )
    for comment in ConsultationComment.objects.filter(
        commitment=commitment, disposition__in=TAKEN_COMMENTS, author__is_active=True
    ).select_related("author"):
        people.setdefault(comment.author_id, (comment.author, []))
    return list(people.values())


def contributors_tell(
    *, commitment: Commitment, kind, by=None, about=None, context: dict | None = None
) -> int:
    """Tell the members `commitment` grew from (contributors_of) of a step: `kind`, about
    `about` (the commitment itself unless a milestone), once per step and member (the
    deduplication key names them), each in their own language, by e-mail unless they turned
    the kind off. Whoever made the step is not told of it. Returns how many were told."""
    about = about or commitment
    journey = absolute_url(reverse("actionplans:my_ideas"))
    url = commitment.get_absolute_url()
    if about is not commitment:
        url += f"#m{about.pk}"
    items = [
        NotificationItem(
            member,
            about,
            {
                "plan": commitment.plan.title,
                "commitment": str(commitment),
                "ideas": "”, “".join(titles),
                "journey": journey,
                "url": url,
                **(context or {}),
            },
            f"{kind}:{about.pk}:{member.pk}",
        )
        for member, titles in contributors_of(commitment)
        if member.pk != getattr(by, "pk", None)
    ]
    return notifications_send_bulk(kind=kind, items=items)


def commitment_assess(*, commitment: Commitment, data: dict, by) -> Commitment:
    """Record OGP's id and the independent assessment (IRM)."""
    if not permissions.can_assess(by, commitment.plan):
        raise ActionPlanError(_("Only the secretariat records the assessment."))
    with transaction.atomic():
        commitment = _locked(commitment)
        before = {name: getattr(commitment, name) for name in IRM_FIELDS}
        for name in IRM_FIELDS:
            if name in data:
                setattr(commitment, name, data[name])
        commitment.save(update_fields=[*IRM_FIELDS, "updated_at"])
        audit_record(
            actor=by,
            action="commitment.assessed",
            about=commitment,
            before=str(before),
            after=str({name: getattr(commitment, name) for name in IRM_FIELDS}),
        )
    return commitment


# --- Milestones ----------------------------------------------------------------------------


def milestone_add(*, commitment: Commitment, data: dict, by) -> Milestone:
    if not permissions.can_plan_milestones(by, commitment):
        raise ActionPlanError(_("Milestones are planned while the commitment is a draft."))
    if not (data.get("activity") or "").strip():
        raise ActionPlanError(_("A milestone needs its activity."))
    with transaction.atomic():
        commitment = _locked(commitment)
        last = commitment.milestones.aggregate(n=Max("position"))["n"] or 0
        milestone = Milestone.objects.create(
            commitment=commitment,
            position=last + 1,
            updated_by=by,
            **{name: data[name] for name in MILESTONE_PLAN_FIELDS if name in data},
        )
        commitment.save(update_fields=["updated_at"])
        audit_record(actor=by, action="milestone.added", about=milestone)
    return milestone


def milestone_plan_change(*, milestone: Milestone, data: dict, by) -> Milestone:
    if not permissions.can_plan_milestones(by, milestone.commitment):
        raise ActionPlanError(_("Milestones are planned while the commitment is a draft."))
    with transaction.atomic():
        for name in MILESTONE_PLAN_FIELDS:
            if name in data:
                setattr(milestone, name, data[name])
        milestone.updated_by = by
        milestone.save()
        milestone.commitment.save(update_fields=["updated_at"])
        audit_record(actor=by, action="milestone.planned", about=milestone)
    return milestone


def milestone_remove(*, milestone: Milestone, by) -> None:
    if not permissions.can_plan_milestones(by, milestone.commitment):
        raise ActionPlanError(_("Milestones are planned while the commitment is a draft."))
    with transaction.atomic():
        audit_record(
            actor=by, action="milestone.removed", about=milestone.commitment, after=str(milestone)
        )
        milestone.delete()
        milestone.commitment.save(update_fields=["updated_at"])


def milestone_progress_update(*, milestone: Milestone, data: dict, by) -> Milestone:
    """The lead agency reports progress: completion level, evidence link, a short note, and
    the actual completion date (set to today when it becomes complete without one)."""
    if not permissions.can_update_milestone(by, milestone):
        raise ActionPlanError(
            _("Only members of the lead agency or the responsible organisation update progress.")
        )
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        before = milestone.completion
        for name in MILESTONE_PROGRESS_FIELDS:
            if name in data:
                setattr(milestone, name, data[name])
        if milestone.completion == Milestone.Completion.COMPLETE:
            milestone.completed_on = milestone.completed_on or timezone.localdate()
        else:
            milestone.completed_on = None
        milestone.updated_by = by
        # The report keeps the organisation its author reported for at the time.
        milestone.progress_organisation_id = by.organisation_id
        milestone.progress_reported_at = timezone.now()
        milestone.save()
        Commitment.objects.filter(pk=milestone.commitment_id).update(updated_at=timezone.now())
        audit_record(
            actor=by,
            action="milestone.progress",
            about=milestone,
            before=before,
            after=milestone.completion,
            organisation=by.organisation.name if by.organisation_id else "",
        )
        complete = Milestone.Completion.COMPLETE
        commitment = milestone.commitment
        if before != complete and milestone.completion == complete and commitment.is_public:
            levels = list(commitment.milestones.values_list("completion", flat=True))
            contributors_tell(
                commitment=commitment,
                kind=notices.IDEA_MILESTONE_COMPLETED,
                about=milestone,
                by=by,
                context={"done": levels.count(complete), "total": len(levels)},
            )
    return milestone


def milestone_assess(*, milestone: Milestone, data: dict, by) -> MilestoneAssessment:
    """Civil society's assessment of a milestone, beside the lead agency's report: a level
    on the same completion scale, the evidence (a link, or what it rests on in words) and a
    note. It replaces the milestone's previous assessment (civil society's current word);
    the audit trail keeps each one, with who gave it and for which organisation. Raises
    NotAllowed for anyone but civil society's assessors (permissions.can_assess_milestone),
    ActionPlanError without a level, a note or evidence."""
    require(permissions.can_assess_milestone(by, milestone))
    values = {name: data.get(name) or "" for name in MILESTONE_ASSESSMENT_FIELDS}
    values = {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }
    if values["completion"] not in Milestone.Completion.values:
        raise ActionPlanError(_("Choose a completion level."))
    if not values["note"]:
        raise ActionPlanError(_("Say in a note what the assessment rests on."))
    if not (values["evidence_url"] or values["evidence"]):
        raise ActionPlanError(_("Give a link to the evidence, or describe it."))
    now = timezone.now()
    with transaction.atomic():
        # The milestone's row is the lock: two assessors at once make one assessment.
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        assessment = MilestoneAssessment.objects.filter(milestone=locked).first()
        before = assessment.completion if assessment else ""
        if assessment is None:
            assessment = MilestoneAssessment(milestone=locked, created_at=now)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.assessed_by = by
        # The assessment keeps the organisation its author gave it for at the time.
        assessment.organisation_id = by.organisation_id
        assessment.updated_at = now
        assessment.save()
        # The plan's exports and pages show it: they are built again.
        Commitment.objects.filter(pk=locked.commitment_id).update(updated_at=now)
        audit_record(
            actor=by,
            action="milestone.assessed",
            about=locked,
            before=before,
            after=assessment.completion,
            government=locked.completion if locked.progress_reported_at else "",
            organisation=by.organisation.name if by.organisation_id else "",
            evidence_url=assessment.evidence_url,
            evidence=assessment.evidence,
            note=assessment.note,
        )
    return assessment


def plan_panel_add(*, plan: ActionPlan, member: User, by) -> None:
    """Name `member` to the plan's assessment panel: they assess its milestones for civil
    society besides the non-government seats of the forum's body. Only the forum's
    secretariat names it; a member of a government organisation is refused."""
    require(
        permissions.can_name_assessment_panel(by, plan),
        _("Only the forum's secretariat names the plan's assessment panel."),
    )
    if not member.is_active or member.membership_status != MembershipStatus.APPROVED:
        raise ActionPlanError(
            _("%(member)s is not an approved member of the portal.") % {"member": member}
        )
    if permissions.is_government(member):
        raise ActionPlanError(
            _(
                "%(member)s belongs to a government organisation: civil society's panel is "
                "for non-government members."
            )
            % {"member": member}
        )
    if plan.assessment_panel.filter(pk=member.pk).exists():
        raise ActionPlanError(
            _("%(member)s is already on the plan's assessment panel.") % {"member": member}
        )
    with transaction.atomic():
        plan.assessment_panel.add(member)
        audit_record(actor=by, action="plan.panel_added", about=plan, member=member.email)


def plan_panel_remove(*, plan: ActionPlan, member: User, by) -> None:
    """Take `member` off the plan's assessment panel (their assessments stay)."""
    require(
        permissions.can_name_assessment_panel(by, plan),
        _("Only the forum's secretariat names the plan's assessment panel."),
    )
    with transaction.atomic():
        plan.assessment_panel.remove(member)
        audit_record(actor=by, action="plan.panel_removed", about=plan, member=member.email)


def milestones_notify_due(*, today: date | None = None) -> int:
    """The periodic job: tell the lead agency's and the responsible organisation's members
    when a milestone is due soon and when it is overdue; tell the secretariat when it is
    long overdue. Each notice goes once per milestone and end date."""

    today = today or timezone.localdate()
    due_days = reminder_timing(notices.MILESTONE_DUE_DAYS)
    escalation_days = reminder_timing(notices.MILESTONE_ESCALATION_DAYS)
    open_milestones = (
        Milestone.objects.filter(end_date__isnull=False)
        .exclude(completion=Milestone.Completion.COMPLETE)
        .filter(
            commitment__status__in=[S.VALIDATED, S.INCLUDED],
            end_date__lte=today + timedelta(days=due_days),
        )
        .select_related("commitment__plan", "commitment__lead_agency")
    )
    milestones = list(open_milestones)
    if not milestones:
        return 0
    org_ids = {m.commitment.lead_agency_id for m in milestones} | {
        m.responsible_id for m in milestones
    }
    members_by_org: dict[int, list] = {}
    for member in User.objects.filter(
        organisation_id__in=org_ids - {None},
        is_active=True,
        membership_status=MembershipStatus.APPROVED,
    ):
        members_by_org.setdefault(member.organisation_id, []).append(member)
    # The long-overdue ones go to the secretariat of the plan's own forum.
    secretariat_by_forum: dict[int, list] = {}
    for role in ForumRole.objects.filter(
        role=ForumRole.Role.SECRETARIAT,
        member__is_active=True,
        forum_id__in={m.commitment.plan.forum_id for m in milestones},
    ).select_related("member"):
        secretariat_by_forum.setdefault(role.forum_id, []).append(role.member)
    lead_names = {
        m.pk: m.commitment.lead_agency.name for m in milestones if m.commitment.lead_agency
    }
    due, overdue, escalated = [], [], []
    for milestone in milestones:
        context = {"due_on": milestone.end_date, "lead": lead_names.get(milestone.pk, "")}
        orgs = {milestone.commitment.lead_agency_id, milestone.responsible_id} - {None}
        people = {m.pk: m for org in orgs for m in members_by_org.get(org, [])}.values()
        stamp = milestone.end_date.isoformat()
        if milestone.end_date >= today:
            kind_items, key = due, "milestone_due"
        else:
            kind_items, key = overdue, "milestone_overdue"
        kind_items.extend(
            NotificationItem(p, milestone, context, f"{key}:{milestone.pk}:{stamp}:{p.pk}")
            for p in people
        )
        if milestone.end_date + timedelta(days=escalation_days) <= today:
            late = {**context, "days_overdue": (today - milestone.end_date).days}
            escalated.extend(
                NotificationItem(
                    p, milestone, late, f"milestone_escalation:{milestone.pk}:{stamp}:{p.pk}"
                )
                for p in secretariat_by_forum.get(milestone.commitment.plan.forum_id, [])
            )
    return (
        notifications_send_bulk(kind=notices.MILESTONE_DUE, items=due)
        + notifications_send_bulk(kind=notices.MILESTONE_OVERDUE, items=overdue)
        + notifications_send_bulk(kind=notices.MILESTONE_OVERDUE_ESCALATION, items=escalated)
    )


# --- Consultation --------------------------------------------------------------------------


def consultation_comment_post(*, commitment: Commitment, author, text: str) -> ConsultationComment:
    allowed, why = permissions.can_comment(author, commitment)
    if not allowed:
        raise ActionPlanError(why)
    text = text.strip()
    if not text:
        raise ActionPlanError(_("Write your comment first."))
    with transaction.atomic():
        organisation_id, group = organisation_now(author.pk)
        comment = ConsultationComment.objects.create(
            commitment=commitment,
            author=author,
            text=text,
            organisation_id=organisation_id,  # as it is now, kept
            stakeholder_group=group,
        )
        audit_record(actor=author, action="consultation.commented", about=comment)
        translations_request_for(instance=comment)
        notifications_send_bulk(
            kind=notices.COMMITMENT_COMMENTED,
            items=[
                NotificationItem(
                    drafter,
                    commitment,
                    {"author": author.public_name},
                    f"commitment_commented:{comment.pk}:{drafter.pk}",
                )
                for drafter in commitment.co_drafters.all()
                if drafter.pk != author.pk
            ],
        )
    return comment


def consultation_comment_respond(
    *, comment: ConsultationComment, disposition: str, response: str, by
) -> ConsultationComment:
    """Give (or revise) the reasoned response to a consultation comment; the author is told."""
    if not permissions.can_respond_to_comment(by, comment.commitment):
        raise ActionPlanError(
            _("The commitment's co-drafters and the secretariat respond to comments.")
        )
    response = response.strip()
    if not response:
        raise ActionPlanError(_("A reasoned response needs its explanation."))
    if disposition not in ConsultationComment.Disposition.values:
        raise ActionPlanError(_("Choose what became of the comment."))
    now = timezone.now()
    with transaction.atomic():
        comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
        if comment.responded_at and (comment.disposition, comment.response) == (
            disposition,
            response,
        ):
            return comment  # the same response sent twice (a double click): told once
        before = comment.disposition
        comment.disposition = disposition
        comment.response = response
        comment.responded_by = by
        comment.responded_at = now
        comment.save()
        audit_record(
            actor=by,
            action="consultation.responded",
            about=comment,
            before=before,
            after=disposition,
        )
        if comment.author is not None:
            notification_send(
                kind=notices.COMMENT_RESPONDED,
                recipient=comment.author,
                about=comment.commitment,
                context={
                    # The lazy label is translated when the e-mail is rendered, in the
                    # author's language.
                    "disposition": ConsultationComment.Disposition(disposition).label,
                    "response": response,
                },
                dedup_key=f"comment_responded:{comment.pk}:{now.isoformat()}",
            )
    return comment


def consultations_notify_closing(*, now: datetime | None = None) -> int:
    """The periodic job: a few days before a consultation closes, tell approved members
    who have not commented yet."""
    now = now or timezone.now()
    days = reminder_timing(notices.CONSULTATION_CLOSING_DAYS)
    plans = list(
        ActionPlan.objects.filter(
            status=ActionPlan.Status.CONSULTATION,
            consultation_opens_at__lte=now,
            consultation_closes_at__gt=now,
            consultation_closes_at__lte=now + timedelta(days=days),
        )
    )
    sent = 0
    for plan in plans:
        commented = ConsultationComment.objects.filter(commitment__plan=plan).values("author_id")
        members = User.objects.filter(
            is_active=True, membership_status=MembershipStatus.APPROVED
        ).exclude(pk__in=commented)
        context = {"closes_at": plan.consultation_closes_at}
        sent += notifications_send_bulk(
            kind=notices.CONSULTATION_CLOSING,
            items=(
                NotificationItem(m, plan, context, f"consultation_closing:{plan.pk}:{m.pk}")
                for m in members.iterator()
            ),
        )
    return sent


# --- Plans ---------------------------------------------------------------------------------

# What `plan_create` takes in `fields`; the forum is its own argument.
PLAN_FIELDS = [
    "title",
    "slug",
    "country",
    "locality",
    "number",
    "period_start",
    "period_end",
    "language",
    "status",
    "process",
    "vision",
    "efforts_to_date",
    "development",
]


def plan_create(*, forum, fields: dict, by) -> ActionPlan:
    """A new action plan of `forum`, by its secretariat. Its co-creation process, if any, is
    one of the forum's own; its period ends after it starts. Raises NotAllowed, or
    ValidationError with the fields' errors."""
    require(
        permissions.can_create_plan(by, forum),
        _("Only the forum's secretariat creates its action plans."),
    )
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not fields of an action plan: {', '.join(sorted(unknown))}")
    process = fields.get("process")
    if process is not None and process.forum_id != forum.pk:
        raise ValidationError({"process": _("This process belongs to another forum.")})
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end <= start:
        raise ValidationError({"period_end": _("The plan's period must end after it starts.")})
    with transaction.atomic():
        plan = ActionPlan(forum=forum, **fields)
        plan.full_clean()
        plan.save()
        audit_record(
            actor=by,
            action="plan.created",
            about=plan,
            forum=forum.slug,
            after=plan.status,
        )
    return plan


def plan_status_change(*, plan: ActionPlan, status: str, by) -> ActionPlan:
    """Set the plan's status. Raises NotAllowed for anyone but the forum's secretariat, and
    ActionPlanError for an unknown status or a consultation without its dates."""
    require(
        permissions.can_manage_plans(by, plan.forum_id),
        _("Only the forum's secretariat changes a plan's status."),
    )
    if status not in ActionPlan.Status.values:
        raise ActionPlanError(_("Choose one of the statuses offered."))
    if status == ActionPlan.Status.CONSULTATION and not (
        plan.consultation_opens_at and plan.consultation_closes_at
    ):
        raise ActionPlanError(_("Set the consultation's opening and closing dates first."))
    with transaction.atomic():
        before = plan.status
        if before == status:
            return plan
        plan.status = status
        plan.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action="plan.status", about=plan, before=before, after=status)
    return plan


# What `plan_edit` changes: the plan's introduction, its title and version, its period and
# language, and the consultation's dates (the status has its own action).
PLAN_EDIT_FIELDS = [
    "title",
    "version",
    "period_start",
    "period_end",
    "language",
    "vision",
    "efforts_to_date",
    "development",
    "consultation_opens_at",
    "consultation_closes_at",
    "pdf_commitment_per_page",
]


def plan_edit(*, plan: ActionPlan, fields: dict, by) -> ActionPlan:
    """Change the plan's introduction, title, version, period, language, consultation
    dates and PDF layout. Raises NotAllowed, or ValidationError with the fields' errors (a
    period that ends before it starts, a consultation that closes before it opens or,
    during the consultation, loses its dates)."""
    require(
        permissions.can_manage_plans(by, plan.forum_id),
        _("Only the forum's secretariat edits its action plans."),
    )
    unknown = set(fields) - set(PLAN_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not editable fields of a plan: {', '.join(sorted(unknown))}")
    start = fields.get("period_start", plan.period_start)
    end = fields.get("period_end", plan.period_end)
    if start and end and end <= start:
        raise ValidationError({"period_end": _("The plan's period must end after it starts.")})
    opens = fields.get("consultation_opens_at", plan.consultation_opens_at)
    closes = fields.get("consultation_closes_at", plan.consultation_closes_at)
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"consultation_closes_at": _("The consultation must close after it opens.")}
        )
    with transaction.atomic():
        plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        before = {name: getattr(plan, name) for name in fields}
        for name, value in fields.items():
            setattr(plan, name, value)
        changed = [name for name in fields if before[name] != getattr(plan, name)]
        if not changed:
            return plan
        plan.full_clean(exclude=["slug", "forum", "country", "process"])
        plan.save()
        audit_record(
            actor=by,
            action="plan.edited",
            about=plan,
            fields=",".join(changed),
            before={name: _plain(before[name]) for name in changed},
            after={name: _plain(getattr(plan, name)) for name in changed},
        )
    return plan


def co_chairs_remind(*, plan: ActionPlan, by, today: date | None = None) -> int:
    """E-mail each co-chair of the plan's forum about the plan's commitments in forum review
    that their stakeholder group has not signed off yet, in their own language. Each
    co-chair is told about a commitment at most once a day; each notice is audited.
    Returns how many notices went out."""
    require(
        permissions.can_manage_plans(by, plan.forum_id),
        _("Only the forum's secretariat reminds its co-chairs."),
    )
    today = today or timezone.localdate()
    chairs = {
        row["group"]: row["seat"].member
        for row in selectors.co_chairs(forum=plan.forum)
        if row["seat"] is not None and row["seat"].member is not None
    }
    awaiting = list(
        plan.commitments.filter(status=S.FORUM_REVIEW)
        .prefetch_related("sign_offs")
        .order_by("number")
    )
    sent = 0
    with transaction.atomic():
        for commitment in awaiting:
            signed = {s.stakeholder_group for s in commitment.sign_offs.all()}
            for group, chair in chairs.items():
                if group in signed or not chair.is_active:
                    continue
                notification = notification_send(
                    kind=notices.SIGN_OFF_AWAITED,
                    recipient=chair,
                    about=commitment,
                    context={"plan": plan.title, "by": getattr(by, "public_name", "")},
                    dedup_key=(f"sign_off_awaited:{commitment.pk}:{chair.pk}:{today.isoformat()}"),
                )
                if notification is None:
                    continue
                sent += 1
                audit_record(
                    actor=by,
                    action="commitment.sign_off_reminded",
                    about=commitment,
                    co_chair=chair.pk,
                    group=group,
                )
    return sent


# --- The repository ------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentUpload:
    kind: str
    title: str
    dated: date
    file: object = None
    url: str = ""
    milestone: Milestone | None = None


def document_check(upload) -> None:
    """Refuse files of the wrong type or size, with a reason for the person."""
    if refusal := upload_refusal(upload):
        raise ActionPlanError(refusal)


def document_add(*, plan: ActionPlan, upload: DocumentUpload, by) -> Document:
    """File a document or a link in the plan's public repository. Evidence for a milestone
    may be filed by those who update the milestone; everything else by the secretariat."""
    milestone = upload.milestone
    if milestone is not None:
        if milestone.commitment.plan_id != plan.pk:
            raise ActionPlanError(_("That milestone belongs to another plan."))
        allowed = permissions.can_update_milestone(by, milestone)
    else:
        allowed = permissions.can_add_document(by, plan)
    if not allowed:
        raise ActionPlanError(_("You may not add documents to this repository."))
    if not upload.title.strip():
        raise ActionPlanError(_("Give the document a title."))
    if not upload.file and not upload.url:
        raise ActionPlanError(_("Attach a file or give a link."))
    if upload.file:
        document_check(upload.file)
    with transaction.atomic():
        document = Document.objects.create(
            plan=plan,
            milestone=milestone,
            kind=Document.Kind.EVIDENCE if milestone else upload.kind,
            title=upload.title.strip(),
            file=upload.file or "",
            url=upload.url,
            dated=upload.dated,
            added_by=by,
            organisation=getattr(by, "organisation", None),
        )
        if milestone is not None:
            Commitment.objects.filter(pk=milestone.commitment_id).update(updated_at=timezone.now())
        audit_record(actor=by, action="document.added", about=document)
        if document.file and Path(document.file.name).suffix.lower() in TEXT_EXTENSIONS:
            task_enqueue_on_commit(DOCUMENT_TEXT_TASK, document.pk)
    return document


# The files whose text the search reads (core/search/): read by the worker after the upload.
TEXT_EXTENSIONS = {".pdf", ".txt", ".csv"}
DOCUMENT_TEXT_TASK = "actionplans.extract_document_text"
TEXT_MAX_CHARS = 200_000
TEXT_MAX_PAGES = 300


def _pdf_text(handle) -> str:
    from pypdf import PdfReader  # noqa: PLC0415 -- loaded by the worker only, when needed

    reader = PdfReader(handle)
    parts, size = [], 0
    for page in reader.pages[:TEXT_MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= TEXT_MAX_CHARS:
            break
    return "\n".join(parts)


def document_text_extract(*, document: Document) -> str:
    """Read the text of `document`'s file (a PDF, or a text or CSV file) into `text`, for the
    search; a file that cannot be read (damaged, encrypted, missing) keeps no text, and says
    so in the log. Returns the text kept."""
    if not document.file:
        return ""
    suffix = Path(document.file.name).suffix.lower()
    if suffix not in TEXT_EXTENSIONS:
        return ""
    try:
        with document.file.open("rb") as handle:
            if suffix == ".pdf":
                text = _pdf_text(handle)
            else:
                text = handle.read(TEXT_MAX_CHARS * 4).decode("utf-8", errors="replace")
    except Exception:  # a damaged or encrypted file: the document stays, without its text
        logger.warning("Could not read the text of document %s", document.pk, exc_info=True)
        return ""
    text = text.replace("\x00", " ")[:TEXT_MAX_CHARS]
    document.text = text
    document.save(update_fields=["text"])  # its search entry follows (core/search/signals.py)
    return text


def document_remove(*, document: Document, by) -> None:
    """Take a document out of the plan's repository (its file too), audited."""
    require(
        permissions.can_add_document(by, document.plan),
        _("Only the forum's secretariat removes documents from its repository."),
    )
    with transaction.atomic():
        audit_record(
            actor=by,
            action="document.removed",
            about=document.plan,
            document=document.pk,
            title=document.title,
            kind=document.kind,
            file=document.file.name if document.file else "",
            url=document.url,
        )
        stored = document.file.name if document.file else ""
        storage = document.file.storage if document.file else None
        document.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# --- Exports -------------------------------------------------------------------------------

EXPORT_QUEUE_TIMEOUT = timedelta(minutes=10)  # queued and no worker picked it up
EXPORT_RENDER_TIMEOUT = timedelta(minutes=30)  # being built, and the worker never finished


def plan_exports_expire(*, now: datetime | None = None) -> int:
    """Mark failed the exports that no worker picked up in time, or whose worker died while
    building them: their page then offers to try again, and a new request builds anew
    instead of waiting for them forever. Returns how many were given up."""
    now = now or timezone.now()
    return PlanExport.objects.filter(
        Q(status=PlanExport.Status.QUEUED, created_at__lt=now - EXPORT_QUEUE_TIMEOUT)
        | Q(status=PlanExport.Status.RUNNING, created_at__lt=now - EXPORT_RENDER_TIMEOUT)
    ).update(
        status=PlanExport.Status.FAILED,
        error="No worker built it in time; it was given up.",
        finished_at=now,
    )


def export_request(*, plan: ActionPlan, commitment: Commitment | None = None, by) -> PlanExport:
    """The PDF export of `plan` (or one commitment): a finished one with the same fingerprint
    is reused, one waiting or being built is returned as it is; otherwise (none, or the last
    one failed) a new one is queued. Without a broker (eager tasks) or with the broker down
    it is built in a background thread of this process: either way the request returns at
    once and the status page shows the progress."""
    require(permissions.can_export(by, plan))
    plan_exports_expire()
    kind = f"pdf:{commitment.pk}" if commitment else "pdf"
    print_ = selectors.fingerprint(plan, kind=kind)
    existing = (
        PlanExport.objects.filter(plan=plan, commitment=commitment, fingerprint=print_)
        .exclude(status=PlanExport.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    with transaction.atomic():
        export = PlanExport.objects.create(
            plan=plan, commitment=commitment, fingerprint=print_, requested_by=by
        )
        long_task_enqueue_on_commit(
            "actionplans.build_export", export.pk, in_process=rendering.export_build
        )
    return export
