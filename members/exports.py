"""What the back office exports of members (CSV and XLSX): the organisations and the
members of a forum's body. Column names are the import's own (members/imports.py
recognises them), so an export can be read back."""

from django.utils.translation import gettext as _

from members import selectors

ORGANISATION_COLUMNS = [
    "organisation",
    "sector",
    "stakeholder_group",
    "country",
    "city",
    "website",
    "verified",
    "members",
]


def organisation_header() -> list[str]:
    return [
        _("Organisation"),
        _("Sector"),
        _("Stakeholder group"),
        _("Country"),
        _("City"),
        _("Website"),
        _("Verified"),
        _("Members"),
    ]


def organisation_records():
    for organisation in selectors.organisations_managed().iterator(chunk_size=1000):
        yield {
            "organisation": organisation.name,
            "sector": str(organisation.sector),
            "stakeholder_group": organisation.sector.get_stakeholder_group_display(),
            "country": organisation.country.code,
            "city": organisation.city,
            "website": organisation.website,
            "verified": _("yes") if organisation.verified else _("no"),
            "members": organisation.members_n,
        }


BODY_COLUMNS = [
    "name",
    "email",
    "organisation",
    "stakeholder_group",
    "seat",
    "term_end",
    "co_chair",
    "voting",
    "alternate",
]


def body_header() -> list[str]:
    return [
        _("Name"),
        _("E-mail address"),
        _("Organisation"),
        _("Stakeholder group"),
        _("Term starts"),
        _("Term ends"),
        _("Co-chair"),
        _("Voting right"),
        _("Alternate"),
    ]


def body_records(forum, show: str = "current"):
    for seat in selectors.body_seats(forum=forum, show=show):
        yield {
            "name": seat.member.full_name,
            "email": seat.member.email,
            "organisation": seat.organisation.name,
            "stakeholder_group": seat.get_stakeholder_group_display(),
            "seat": seat.term_start,
            "term_end": seat.term_end or "",
            "co_chair": _("yes") if seat.co_chair else _("no"),
            "voting": _("yes") if seat.voting else _("no"),
            "alternate": seat.alternate.full_name if seat.alternate else "",
        }
