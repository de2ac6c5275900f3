"""The sectors a new forum starts with (plain data, also used by a data migration).

Their names are stored in English and marked with gettext_noop, so that the catalogues hold
them and Sector.__str__ shows them in the reader's language; a sector the secretariat adds
shows as it was written."""

from django.utils.translation import gettext_noop

DEFAULT_SECTORS = [
    # slug, name, stakeholder group, position
    ("national-public-body", gettext_noop("National public body"), "government", 1),
    ("regional-local-government", gettext_noop("Regional or local government"), "government", 2),
    ("independent-authority", gettext_noop("Independent authority"), "government", 3),
    ("civil-society", gettext_noop("Civil-society organisation"), "non_government", 1),
    ("academia", gettext_noop("Academia and research"), "non_government", 2),
    ("private-sector", gettext_noop("Private sector"), "non_government", 3),
    ("media", gettext_noop("Media"), "non_government", 4),
    ("independent-citizen", gettext_noop("Independent citizen"), "non_government", 5),
]
