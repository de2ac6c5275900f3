"""What the action plans add to members' pages: on "My forum", the way to the management
pages of the forums one runs (/manage/<forum>/, whose index is actionplans') and to one's
commitments. The plan PDF's own sections are registered with actionplans.pdf_sections."""

from members.sections import my_forum_section_register
from members.selectors import forums_run_by


def _forums_run(request):
    forums = forums_run_by(request.user)
    return {"forums": forums} if forums else None


my_forum_section_register(
    key="actionplans.manage",
    template="actionplans/includes/my_forum_manage.html",
    order=5,
    context=_forums_run,
)

my_forum_section_register(
    key="actionplans.commitments",
    template="actionplans/includes/my_commitments.html",
    order=40,
    context=lambda request: {},
)

# Right after co-creation's "My contributions": where each of them led.
my_forum_section_register(
    key="actionplans.ideas",
    template="actionplans/includes/my_ideas_link.html",
    order=35,
    context=lambda request: {},
)
