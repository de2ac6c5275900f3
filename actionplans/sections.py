"""What the action plans add to members' pages: the way to one's commitments on "My
forum". The plan PDF's own sections are registered with actionplans.pdf_sections."""

from members.sections import my_forum_section_register

my_forum_section_register(
    key="actionplans.commitments",
    template="actionplans/includes/my_commitments.html",
    order=40,
    context=lambda request: {},
)
