"""Who may do what with action plans and commitments: the one place views, templates, the
API and the services ask. Each predicate takes the user first."""

from django.utils.translation import gettext as _

from actionplans.models import ActionPlan, Commitment, Milestone
from members.models import MembershipStatus, StakeholderGroup
from members.permissions import is_facilitator, is_secretariat
from members.selectors import civil_society_seats_of, co_chairs_of, stakeholder_group_of

S = Commitment.Status

# Who may move a commitment from one status to another. "co_drafter" includes the
# secretariat; validation itself happens through the co-chairs' sign-offs, never directly.
TRANSITIONS = {
    (S.DRAFT, S.FORUM_REVIEW): "co_drafter",
    (S.FORUM_REVIEW, S.DRAFT): "secretariat_or_co_chair",
    (S.VALIDATED, S.DRAFT): "secretariat_or_co_chair",
    (S.VALIDATED, S.INCLUDED): "secretariat",
    (S.INCLUDED, S.VALIDATED): "secretariat",
    (S.DRAFT, S.WITHDRAWN): "secretariat",
    (S.FORUM_REVIEW, S.WITHDRAWN): "secretariat",
    (S.VALIDATED, S.WITHDRAWN): "secretariat",
    (S.INCLUDED, S.WITHDRAWN): "secretariat",
    (S.WITHDRAWN, S.DRAFT): "secretariat",
}


def _approved(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.membership_status == MembershipStatus.APPROVED or user.is_superuser)
    )


def co_chaired_forums(user) -> dict[int, str]:
    """{forum id: stakeholder group} of the forum bodies `user` co-chairs today."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_co_chairs"):  # asked often on one page: one query
        user._co_chairs = co_chairs_of(user)
    return user._co_chairs


def co_chair_group(user, forum) -> str | None:
    """The stakeholder group `user` co-chairs on `forum`'s body today, if any: a commitment
    is signed off by the co-chairs of its own plan's forum, nobody else's."""
    forum_id = forum if isinstance(forum, int) else forum.pk
    return co_chaired_forums(user).get(forum_id)


def is_co_drafter(user, commitment: Commitment) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(commitment, "_co_drafter_ids", None)
    if cached is None:
        cached = commitment._co_drafter_ids = set(
            commitment.co_drafters.values_list("pk", flat=True)
        )
    return user.pk in cached


def can_manage_plans(user, forum) -> bool:
    """The forum's secretariat creates and runs its action plans."""
    return is_secretariat(user, forum)


def can_create_plan(user, forum) -> bool:
    return _approved(user) and can_manage_plans(user, forum)


def can_create_commitment(user, plan: ActionPlan) -> bool:
    """The forum's secretariat and facilitators turn workshop ideas into draft commitments."""
    if plan.status in (ActionPlan.Status.COMPLETED,):
        return False
    return _approved(user) and (
        can_manage_plans(user, plan.forum_id) or is_facilitator(user, plan.forum_id)
    )


def can_link_commitments(user, plan: ActionPlan) -> bool:
    """The forum's secretariat says which earlier commitment a commitment carries over."""
    return _approved(user) and can_manage_plans(user, plan.forum_id)


def _forum_of(commitment: Commitment) -> int:
    return commitment.plan.forum_id


def can_view_commitment(user, commitment: Commitment) -> bool:
    if commitment.is_public or commitment.status == S.WITHDRAWN:
        return True
    forum = _forum_of(commitment)
    return (
        can_manage_plans(user, forum)
        or is_co_drafter(user, commitment)
        or co_chair_group(user, forum) is not None
    )


def can_edit_commitment(user, commitment: Commitment) -> bool:
    """Only drafts are edited: send a commitment back to draft to change its text."""
    if commitment.status != S.DRAFT:
        return False
    return _approved(user) and (
        is_co_drafter(user, commitment) or can_manage_plans(user, _forum_of(commitment))
    )


def can_transition(user, commitment: Commitment, to: str) -> bool:
    rule = TRANSITIONS.get((commitment.status, to))
    if rule is None or not _approved(user):
        return False
    forum = _forum_of(commitment)
    if can_manage_plans(user, forum):
        return True
    if rule == "co_drafter":
        return is_co_drafter(user, commitment)
    if rule == "secretariat_or_co_chair":
        return co_chair_group(user, forum) is not None
    return False


def transitions_for(user, commitment: Commitment) -> list[str]:
    return [
        to
        for (frm, to) in TRANSITIONS
        if frm == commitment.status and can_transition(user, commitment, to)
    ]


def can_sign_off(user, commitment: Commitment) -> tuple[bool, str]:
    if commitment.status != S.FORUM_REVIEW:
        return False, _("Only a commitment in forum review can be signed off.")
    group = co_chair_group(user, _forum_of(commitment))
    if group is None:
        return False, _("Only the co-chairs of this plan's forum body sign off its commitments.")
    if any(s.stakeholder_group == group for s in commitment.sign_offs.all()):
        return False, _("Your stakeholder group has already signed off this commitment.")
    return True, ""


def can_assess(user, plan: ActionPlan) -> bool:
    """The independent assessment and OGP's id are recorded by the forum's secretariat."""
    return can_manage_plans(user, plan.forum_id)


def can_update_milestone(user, milestone) -> bool:
    """Members of the lead agency (or of the milestone's responsible organisation) report
    progress; so does the secretariat."""
    if not _approved(user):
        return False
    if can_manage_plans(user, _forum_of(milestone.commitment)):
        return True
    org = user.organisation_id
    return org is not None and org in (
        milestone.commitment.lead_agency_id,
        milestone.responsible_id,
    )


# --- Civil society's assessment of the milestones -----------------------------------------


def civil_society_forums(user) -> set[int]:
    """The forums on whose body `user` sits for the non-government group today (holding the
    seat or as its alternate)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_civil_society_forums"):  # asked for each milestone: one query
        user._civil_society_forums = civil_society_seats_of(user)
    return user._civil_society_forums


def assessment_panels(user) -> set[int]:
    """The plans whose assessment panel the secretariat named `user` to."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_assessment_panels"):
        user._assessment_panels = set(user.assessment_panels.values_list("pk", flat=True))
    return user._assessment_panels


def is_government(user) -> bool:
    """Whether `user`'s organisation is in the government group."""
    if not hasattr(user, "_stakeholder_group"):
        user._stakeholder_group = stakeholder_group_of(user)
    return user._stakeholder_group == StakeholderGroup.GOVERNMENT


def is_civil_society_assessor(user, plan: ActionPlan) -> bool:
    """Who assesses a plan's milestones for civil society: an approved member who sits for
    the non-government group on the body of the plan's forum today (or is that seat's
    alternate), or whom the plan's secretariat named to its assessment panel, unless their
    organisation is a government one. No role gives it: the secretariat names the panel
    but does not assess by being the secretariat, nor does the site administrator."""
    if not _approved(user):
        return False
    if plan.forum_id in civil_society_forums(user):
        return True
    return plan.pk in assessment_panels(user) and not is_government(user)


def can_assess_milestone(user, milestone: Milestone) -> tuple[bool, str]:
    """Civil society assesses the milestones of public commitments, but not those its own
    organisation reports on (the lead agency or the responsible organisation)."""
    commitment = milestone.commitment
    if not commitment.is_public:
        return False, _("Only the milestones of a public commitment are assessed.")
    if not is_civil_society_assessor(user, commitment.plan):
        return False, _(
            "Only the civil-society members of the forum's body, or of the plan's assessment "
            "panel, record civil society's assessment."
        )
    if user.organisation_id is not None and user.organisation_id in (
        commitment.lead_agency_id,
        milestone.responsible_id,
    ):
        return False, _(
            "Your organisation reports the progress of this milestone: civil society's "
            "assessment comes from others."
        )
    return True, ""


def can_name_assessment_panel(user, plan: ActionPlan) -> bool:
    """The forum's secretariat names the plan's assessment panel."""
    return _approved(user) and can_manage_plans(user, plan.forum_id)


def can_plan_milestones(user, commitment: Commitment) -> bool:
    """Adding and removing milestones is part of drafting."""
    return can_edit_commitment(user, commitment)


def can_comment(user, commitment: Commitment) -> tuple[bool, str]:
    if not commitment.plan.consultation_open():
        return False, _("Comments are open only during the plan's public consultation.")
    if not commitment.is_public:
        return False, _("This commitment is not open for comments.")
    if not user.is_authenticated:
        return False, _("Log in to comment.")
    if not user.is_active:
        return False, _("Your account is not active.")
    return True, ""


def can_respond_to_comment(user, commitment: Commitment) -> bool:
    return _approved(user) and (
        can_manage_plans(user, _forum_of(commitment)) or is_co_drafter(user, commitment)
    )


def can_add_document(user, plan: ActionPlan) -> bool:
    """The forum's secretariat files documents; lead agencies file evidence through their
    milestones."""
    return can_manage_plans(user, plan.forum_id)


def can_export(user, plan: ActionPlan) -> bool:
    return can_manage_plans(user, plan.forum_id)
