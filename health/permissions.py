"""Who may do what with forum health: each forum's report is public; a forum's secretariat
sets its thresholds and receives its digest."""

from members.permissions import is_secretariat


def can_edit_thresholds(user, forum) -> bool:
    """Only `forum`'s own secretariat (or the site administrator) sets its thresholds."""
    return is_secretariat(user, forum)
