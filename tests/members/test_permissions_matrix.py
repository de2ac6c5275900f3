"""Every page and action of the members app against every kind of visitor."""

import pytest
from django.urls import reverse

from members.models import MembershipStatus
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pending", "member", "facilitator", "secretariat"]
OK, LOGIN, FORBIDDEN = 200, "login", 403


def visitor(role):
    if role == "anonymous":
        return None
    if role == "pending":
        return UserFactory(membership_status=MembershipStatus.PENDING)
    return UserFactory(roles=[] if role == "member" else [role])


PUBLIC = dict.fromkeys(ROLES, OK)
LOGGED_IN = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
SECRETARIAT = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:4], FORBIDDEN), "secretariat": OK}

PAGES = [
    ("members:index", PUBLIC),
    ("members:organisation_list", PUBLIC),
    ("members:composition", PUBLIC),
    ("members:forum_body", PUBLIC),
    ("members:privacy", PUBLIC),
    ("members:my_forum", LOGGED_IN),
    ("members:profile", LOGGED_IN),
    ("members:my_data", LOGGED_IN),
    ("members:account_delete", LOGGED_IN),
    ("members:membership_queue", SECRETARIAT),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "expected"), PAGES, ids=[name for name, _ in PAGES])
def test_pages(client, role, name, expected):
    user = visitor(role)
    if user:
        client.force_login(user)

    response = client.get(reverse(name))

    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_organisation_page_is_public(client, role):
    user = visitor(role)
    if user:
        client.force_login(user)

    assert client.get(OrganisationFactory().get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_membership_decision(client, role):
    user = visitor(role)
    if user:
        client.force_login(user)
    applicant = UserFactory(membership_status=MembershipStatus.PENDING)

    response = client.post(
        reverse("members:membership_decide", args=[applicant.pk]), {"decision": "approve"}
    )

    applicant.refresh_from_db()
    if role == "secretariat":
        assert response.status_code == 302
        assert applicant.membership_status == MembershipStatus.APPROVED
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert applicant.membership_status == MembershipStatus.PENDING
