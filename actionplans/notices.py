"""The notices the action plans send: comments and their responses, milestones due and
overdue, consultations closing."""

from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Commitment, ConsultationComment, Milestone
from core.notifications.kinds import Rhythm, notice_forum_register, notice_kind_register
from core.notifications.timings import reminder_days_register

# A busy kind: during a consultation a commitment gets many comments, so its co-drafters
# read them in a daily digest unless they choose otherwise.
COMMITMENT_COMMENTED = notice_kind_register(
    "commitment_commented",
    _("A comment on a commitment you co-draft"),
    default_rhythm=Rhythm.DAILY,
)
COMMENT_RESPONDED = notice_kind_register(
    "comment_responded", _("A reasoned response to your comment on a commitment")
)
MILESTONE_DUE = notice_kind_register(
    "milestone_due", _("A milestone of your organisation is due soon")
)
MILESTONE_OVERDUE = notice_kind_register(
    "milestone_overdue", _("A milestone of your organisation is overdue")
)
MILESTONE_OVERDUE_ESCALATION = notice_kind_register(
    "milestone_overdue_escalation", _("A milestone is long overdue (secretariat)")
)
CONSULTATION_CLOSING = notice_kind_register(
    "consultation_closing", _("A public consultation closes soon")
)

MILESTONE_DUE_DAYS = reminder_days_register(
    "milestone_due_days", _("milestone due: days before its date"), default=14
)
MILESTONE_ESCALATION_DAYS = reminder_days_register(
    "milestone_escalation_days",
    _("overdue milestone reported to the secretariat after (days)"),
    default=14,
)
CONSULTATION_CLOSING_DAYS = reminder_days_register(
    "consultation_closing_days", _("consultation closing: days before it closes"), default=3
)
SIGN_OFF_AWAITED = notice_kind_register(
    "sign_off_awaited", _("A commitment awaits your sign-off as co-chair")
)

# "What became of my idea": the steps of a commitment that grew from a member's published
# contributions (or from their consultation comment taken into it), told to those members.
# The reasoned response itself is co-creation's contribution_responded.
IDEA_COMMITMENT_VALIDATED = notice_kind_register(
    "idea_commitment_validated", _("A commitment that grew from your idea is validated")
)
IDEA_COMMITMENT_INCLUDED = notice_kind_register(
    "idea_commitment_included",
    _("A commitment that grew from your idea is included in the action plan"),
)
IDEA_MILESTONE_COMPLETED = notice_kind_register(
    "idea_milestone_completed",
    _("A milestone of a commitment that grew from your idea is completed"),
)

# Where a notice about these belongs, for the digests grouped by forum.
notice_forum_register(ActionPlan, "forum__name")
notice_forum_register(Commitment, "plan__forum__name")
notice_forum_register(Milestone, "commitment__plan__forum__name")
notice_forum_register(ConsultationComment, "commitment__plan__forum__name")
