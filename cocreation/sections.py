"""What co-creation adds to members' pages: a member's workshops and contributions on
"My forum", an organisation's attendance and contributions on its page, and the people
with a confirmed seat in a forum's workshops as taking part in that forum."""

from django.utils.translation import ngettext

from cocreation import selectors
from cocreation.models import Registration
from members.sections import (
    forum_participants_register,
    my_forum_section_register,
    organisation_facts_register,
)

my_forum_section_register(
    key="cocreation.workshops",
    template="cocreation/includes/my_workshops.html",
    order=20,
    context=lambda request: {"registrations": selectors.my_workshops(member=request.user)},
)
my_forum_section_register(
    key="cocreation.contributions",
    template="cocreation/includes/my_contributions.html",
    order=30,
    context=lambda request: {"contributions": selectors.my_contributions(member=request.user)},
)


def _organisation_facts(organisation) -> list[str]:
    activity = selectors.organisation_activity(organisation=organisation)
    attended, published = activity["workshops_attended"], activity["contributions"]
    return [
        ngettext(
            "Took part in %(counter)s workshop", "Took part in %(counter)s workshops", attended
        )
        % {"counter": attended},
        ngettext(
            "%(counter)s published contribution", "%(counter)s published contributions", published
        )
        % {"counter": published},
    ]


organisation_facts_register(key="cocreation.activity", facts=_organisation_facts)


forum_participants_register(
    key="cocreation.registrations",
    members=lambda forum: Registration.objects.filter(
        status=Registration.Status.CONFIRMED, workshop__process__forum=forum
    ).values("member_id"),
)
