"""What the global search finds of members' app (core/search/): the forums, and the
organisations of the directory (a proposed one only to its members and the secretariat,
selectors.organisations_visible_to). Members themselves are not searched."""

from django.utils.translation import gettext_lazy as _

from core.search.registry import Document, search_forums_register, searchable_register
from members.models import Forum, Organisation
from members.selectors import organisations_visible_to


def _forum(forum: Forum) -> Document:
    return Document(
        title=forum.name,
        body="\n".join([forum.description, forum.region]),
        url=forum.get_absolute_url(),
        forum_id=forum.pk,
        date=forum.created_at.date() if forum.created_at else None,
    )


def _organisation(organisation: Organisation) -> Document:
    return Document(
        title=organisation.name,
        body="\n".join([organisation.description, organisation.city]),
        url=organisation.get_absolute_url(),
    )


searchable_register(
    kind="forum",
    label=_("Forums"),
    model=Forum,
    document=_forum,
    visible=lambda user: Forum.objects.all(),
    order=10,
)
searchable_register(
    kind="organisation",
    label=_("Organisations"),
    model=Organisation,
    document=_organisation,
    visible=organisations_visible_to,
    order=90,
)
search_forums_register(lambda: Forum.objects.all())
