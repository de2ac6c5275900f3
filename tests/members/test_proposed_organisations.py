"""A proposed organisation (a sign-up's, not verified yet) is seen only by its proposer and
the secretariat until the secretariat verifies it, confirming its sector: not in the
directory, its page, the API, the sign-up form's list, the home page's counts or the
choices of other forms."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.audit.models import AuditEntry
from events.forms import EventForm
from members.models import Organisation, StakeholderGroup
from members.selectors import GLANCE_CACHE_KEY, forum_at_a_glance, organisations_visible_to
from tests.factories import ForumFactory, OrganisationFactory, SectorFactory, UserFactory, role_give

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    return ForumFactory(slug="national")


@pytest.fixture
def proposed():
    return OrganisationFactory(name="Brand New Watchdog", verified=False)


@pytest.fixture
def proposer(proposed):
    return UserFactory(membership_status="pending", organisation=proposed)


@pytest.fixture
def secretariat(forum):
    member = UserFactory(membership_status="approved")
    role_give(member, "secretariat", forum)
    return member


@pytest.fixture
def known():
    return OrganisationFactory(name="Old Trusted Ministry")


def _as(client, who):
    if who is not None:
        client.force_login(who)
    return client


@pytest.fixture
def viewers(proposer, secretariat):
    return {
        "anonymous": None,
        "another member": UserFactory(membership_status="approved"),
        "proposer": proposer,
        "secretariat": secretariat,
        "site administrator": UserFactory(is_superuser=True, is_staff=True),
    }


SEES = {
    "anonymous": False,
    "another member": False,
    "proposer": True,
    "secretariat": True,
    "site administrator": True,
}


@pytest.mark.parametrize("who", list(SEES))
def test_the_directory_the_page_and_the_api_show_a_proposal_only_to_who_may_see_it(
    client, who, viewers, proposed, known
):
    client = _as(client, viewers[who])
    sees = SEES[who]

    directory = client.get(reverse("members:organisation_list")).content.decode()
    page = client.get(proposed.get_absolute_url())
    listed = client.get("/api/v1/organisations/").json()
    detail = client.get(f"/api/v1/organisations/{proposed.pk}/")

    assert "Old Trusted Ministry" in directory
    assert ("Brand New Watchdog" in directory) is sees
    assert page.status_code == (200 if sees else 404)
    names = [row["name"] for row in listed["results"]]
    assert "Old Trusted Ministry" in names
    assert ("Brand New Watchdog" in names) is sees
    assert detail.status_code == (200 if sees else 404)
    assert client.get(known.get_absolute_url()).status_code == 200


def test_the_sign_up_form_offers_verified_organisations_only(client, proposed, known):
    page = client.get(reverse("account_signup")).content.decode()

    assert "Old Trusted Ministry" in page
    assert "Brand New Watchdog" not in page


def test_the_profile_offers_the_members_own_proposal_but_not_anothers(client, proposer, known):
    someone_elses = OrganisationFactory(name="Somebody Else's Proposal", verified=False)
    client.force_login(proposer)

    page = client.get(reverse("members:profile")).content.decode()
    refused = client.post(
        reverse("members:profile"),
        {
            "full_name": "Pat Proposer",
            "organisation": someone_elses.pk,
            "position": "",
            "preferred_language": "en",
        },
    )

    assert "Brand New Watchdog" in page and "Old Trusted Ministry" in page
    assert "Somebody Else&#x27;s Proposal" not in page
    assert refused.status_code in (200, 400)
    proposer.refresh_from_db()
    assert proposer.organisation.name == "Brand New Watchdog"


@pytest.mark.parametrize("who", ["another member", "proposer"])
def test_an_event_names_only_verified_organisations(viewers, proposed, known, who):
    # An event is public: even its proposer names the organisation once it is verified.
    choices = list(EventForm(user=viewers[who]).fields["organisation"].queryset)

    assert known in choices and proposed not in choices


@pytest.mark.parametrize(
    ("address", "name"),
    [("/api/v1/events/", "organisation"), ("/api/v1/commitments/", "lead_agency")],
)
def test_api_filters_refuse_a_proposal_as_they_refuse_an_unknown_organisation(
    client, proposed, known, address, name
):
    unknown = client.get(address, {name: 987654})
    hidden = client.get(address, {name: proposed.pk})

    assert client.get(address, {name: known.pk}).status_code == 200
    assert unknown.status_code == hidden.status_code == 400
    assert unknown.json() == hidden.json()  # the same message: nothing tells them apart


def test_the_home_page_counts_only_verified_organisations(proposed, known):
    cache.delete(GLANCE_CACHE_KEY)

    assert forum_at_a_glance()["organisations"] == 1


def test_verifying_confirms_the_sector_and_makes_it_public(client, forum, secretariat, proposed):
    government = SectorFactory(name="Public body", stakeholder_group=StakeholderGroup.GOVERNMENT)
    client.force_login(secretariat)
    page = client.get(reverse("manage:organisations", args=[forum.slug])).content.decode()
    assert f'id="verify-sector-{proposed.pk}"' in page

    missing = client.post(
        reverse("manage:organisation_verify", args=[forum.slug, proposed.pk]), follow=True
    )
    proposed.refresh_from_db()
    assert not proposed.verified
    assert "Confirm the organisation&#x27;s sector to verify it." in missing.content.decode()

    client.post(
        reverse("manage:organisation_verify", args=[forum.slug, proposed.pk]),
        {"sector": government.pk},
    )

    proposed.refresh_from_db()
    assert proposed.verified and proposed.sector == government
    assert set(
        AuditEntry.objects.filter(about_id=str(proposed.pk)).values_list("action", flat=True)
    ) == {"organisation.sector", "organisation.verify"}
    assert proposed in organisations_visible_to(None)


@pytest.mark.parametrize("where", ["back office", "public queue"])
def test_approving_the_proposer_verifies_the_organisation_in_the_confirmed_sector(
    client, forum, secretariat, proposer, proposed, where
):
    government = SectorFactory(name="Public body", stakeholder_group=StakeholderGroup.GOVERNMENT)
    client.force_login(secretariat)
    queue = (
        reverse("manage:organisations", args=[forum.slug])
        if where == "back office"
        else reverse("members:membership_queue")
    )
    action = (
        reverse("manage:membership_decide", args=[forum.slug, proposer.pk])
        if where == "back office"
        else reverse("members:membership_decide", args=[proposer.pk])
    )
    page = client.get(queue).content.decode()
    assert f'id="sector-{proposer.pk}"' in page
    assert "Brand New Watchdog is new: approving the member verifies it in this sector" in page

    client.post(action, {"decision": "approve", "note": "", "sector": government.pk})

    proposed.refresh_from_db()
    assert proposed.verified and proposed.sector == government
    assert Organisation.objects.get(pk=proposed.pk) in organisations_visible_to(None)


def test_a_member_of_a_verified_organisation_is_approved_without_a_sector_question(
    client, forum, secretariat, known
):
    member = UserFactory(membership_status="pending", organisation=known)
    client.force_login(secretariat)

    page = client.get(reverse("manage:organisations", args=[forum.slug])).content.decode()

    assert f'id="sector-{member.pk}"' not in page
