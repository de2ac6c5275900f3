"""Who may do what with forum health: the report is public; the secretariat sets the
thresholds and receives the digest."""

from members.permissions import is_secretariat


def can_edit_thresholds(user) -> bool:
    return is_secretariat(user)
