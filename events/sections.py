"""What the events calendar adds to members' pages: a member's places at events on "My
forum", with the way to their private calendar feed."""

from events import selectors
from members.sections import my_forum_section_register

my_forum_section_register(
    key="events.places",
    template="events/includes/my_places.html",
    order=25,
    context=lambda request: {"places": selectors.my_places(member=request.user)},
)
