"""The forums' pages, /forums/: the list of forums, each forum's own page, and its body,
composition, workshops and plans. The lower apps' views take the forum as an argument and
this shell passes it, so none of them knows these addresses. A forum is made here too, by
the site administrator."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import views as actionplan_views
from actionplans.selectors import plan_list
from cocreation import views as cocreation_views
from cocreation.selectors import upcoming_workshops_by_forum
from core.errors import NotAllowed
from core.generations import generation_cached
from events.selectors import upcoming_events_by_forum
from members import permissions, selectors
from members import views as member_views
from members.forms import ForumCreateForm
from members.models import Forum, StakeholderGroup
from members.services import ForumCreateError, forum_create

# What a forum's card shows of what is coming up in it.
COMING_UP = 3


def _forum(slug: str) -> Forum:
    return get_object_or_404(
        Forum.objects.select_related("parent").prefetch_related("working_groups"), slug=slug
    )


COMING_UP_NAME = "coming-up"  # its generation: a workshop, process or event changed
COMING_UP_TTL = 60  # seconds; what ends meanwhile is left out when read


def coming_up(forums) -> dict[int, list[dict]]:
    """{forum id: the next COMING_UP workshops and events, soonest first}, each as
    {"kind": "workshop" | "event", "item": the object}: two queries however many forums,
    kept in the cache for a minute or until a workshop, process or event changes (half the
    home page's time when computed)."""
    ids = sorted(forum.pk for forum in forums)
    key = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    coming = generation_cached(COMING_UP_NAME, key, lambda: _coming_up(forums), COMING_UP_TTL)
    now = timezone.now()
    return {
        forum_id: [entry for entry in entries if entry["item"].ends_at >= now][:COMING_UP]
        for forum_id, entries in coming.items()
    }


def _coming_up(forums) -> dict[int, list[dict]]:
    # One more of each than shown: what ends while the value is kept leaves a next one.
    workshops = upcoming_workshops_by_forum(forums=forums, per_forum=COMING_UP + 1)
    events = upcoming_events_by_forum(forums=forums, per_forum=COMING_UP + 1)
    coming = {}
    for forum in forums:
        items = [{"kind": "workshop", "item": w} for w in workshops.get(forum.pk, [])] + [
            {"kind": "event", "item": e} for e in events.get(forum.pk, [])
        ]
        items.sort(key=lambda entry: (entry["item"].starts_at, entry["kind"], entry["item"].pk))
        coming[forum.pk] = items[: COMING_UP + 1]
    return coming


def forum_list(request):
    forums = list(selectors.forum_directory())
    workshops = upcoming_workshops_by_forum(forums=forums, per_forum=COMING_UP)
    rows = [{"forum": forum, "workshops": workshops.get(forum.pk, [])} for forum in forums]
    return render(
        request,
        "forum/forum_list.html",
        {"rows": rows, "can_create": permissions.can_create_forum(request.user)},
    )


def forum_home(request, slug):
    forum = _forum(slug)
    body = selectors.forum_body(forum=forum)
    co_chairs = [
        {"label": label, "seat": body["co_chairs"].get(value)}
        for value, label in StakeholderGroup.choices
    ]
    return render(
        request,
        "forum/forum_home.html",
        {
            "forum": forum,
            "workshops": upcoming_workshops_by_forum(forums=[forum], per_forum=5).get(forum.pk, []),
            "events": upcoming_events_by_forum(forums=[forum], per_forum=5).get(forum.pk, []),
            "plans": plan_list(viewer=request.user, forum=forum).qs,
            "co_chairs": co_chairs,
        },
    )


def forum_body(request, slug):
    return member_views.forum_body(request, forum=_forum(slug))


def forum_composition(request, slug):
    return member_views.composition(request, forum=_forum(slug))


def forum_workshops(request, slug):
    return cocreation_views.workshop_list(request, forum=_forum(slug))


def forum_plans(request, slug):
    return actionplan_views.index(request, forum=_forum(slug))


@login_required
def forum_new(request):
    if not permissions.can_create_forum(request.user):
        raise PermissionDenied(_("Only the site administrator creates forums."))
    form = ForumCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                forum = forum_create(
                    fields=form.forum_fields(),
                    secretariat=form.cleaned_data["secretariat"],
                    co_chairs=form.co_chairs(),
                    term_start=form.cleaned_data["term_start"],
                    by=request.user,
                )
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from None
            except ForumCreateError as error:
                for field, errors in error.fields.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("%(forum)s is created; its secretariat can now run it.")
                    % {"forum": forum.name},
                )
                return redirect(forum)
        messages.error(request, _("Please correct the answers below."))
    return render(
        request, "forum/forum_form.html", {"form": form}, status=400 if form.errors else 200
    )
