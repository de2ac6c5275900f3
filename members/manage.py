"""What every management page of a forum (/manage/<forum>/...) does first: find the forum
of the address (404 for an unknown one) and ask whether the person may run it there (403
otherwise: the secretariat of another forum too). The pages themselves live in the apps
whose records they create, and are included under /manage/<forum>/ by forum/urls.py."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import Forum
from members.selectors import forum_by_slug


def forum_managed(request, forum_slug: str, allowed: Callable[..., bool]) -> Forum:
    try:
        forum = forum_by_slug(forum_slug)
    except Forum.DoesNotExist:
        raise Http404 from None
    if not allowed(request.user, forum):
        raise PermissionDenied
    return forum
