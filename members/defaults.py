"""The sectors a new forum starts with (plain data, also used by a data migration)."""

DEFAULT_SECTORS = [
    # slug, name, stakeholder group, position
    ("national-public-body", "National public body", "government", 1),
    ("regional-local-government", "Regional or local government", "government", 2),
    ("independent-authority", "Independent authority", "government", 3),
    ("civil-society", "Civil-society organisation", "non_government", 1),
    ("academia", "Academia and research", "non_government", 2),
    ("private-sector", "Private sector", "non_government", 3),
    ("media", "Media", "non_government", 4),
    ("independent-citizen", "Independent citizen", "non_government", 5),
]
