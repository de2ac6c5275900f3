"""Who may do what with forum health: each forum's report is public (published and held
workshops only); a forum's secretariat sets its thresholds, receives its digest and reads
which of its draft workshops must be announced soon."""

from members.permissions import is_secretariat


def can_edit_thresholds(user, forum) -> bool:
    """Only `forum`'s own secretariat (or the site administrator) sets its thresholds."""
    return is_secretariat(user, forum)


def can_see_drafts(user, forum) -> bool:
    """Whether `user`'s report on `forum` names its draft workshops: its own secretariat's
    (and the site administrator's)."""
    return is_secretariat(user, forum)


def can_build_evidence_pack(user, plan) -> bool:
    """Building a plan's IRM evidence pack (a long task) is its forum's secretariat's; the
    pack holds only public content, so anyone may download one that is built."""
    return is_secretariat(user, plan.forum_id)
