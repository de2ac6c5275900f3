"""Who may do what in the members app: every view, API endpoint and template asks here."""

from members import roles


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # One query per request at most: the group names are cached on the user object.
    if not hasattr(user, "_forum_role_names"):
        user._forum_role_names = set(user.groups.values_list("name", flat=True))
    return role in user._forum_role_names


def is_secretariat(user) -> bool:
    return has_role(user, roles.SECRETARIAT)


def is_facilitator(user) -> bool:
    return has_role(user, roles.FACILITATOR)
