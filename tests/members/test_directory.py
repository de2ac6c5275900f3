import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from members.models import Organisation, StakeholderGroup
from tests.factories import OrganisationFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "members:organisation_list"


def test_the_directory_filters_by_group_sector_country_and_text(client):
    government = SectorFactory(
        slug="g", name="Ministry", stakeholder_group=StakeholderGroup.GOVERNMENT
    )
    civil = SectorFactory(slug="c", name="NGO", stakeholder_group=StakeholderGroup.NON_GOVERNMENT)
    OrganisationFactory(name="Ministry of Digital Governance", sector=government, country="GR")
    OrganisationFactory(name="Open Budget Ukraine", sector=civil, country="UA", city="Kyiv")
    OrganisationFactory(name="Watchdog Civic Network", sector=civil, country="PL")

    def names(**filters):
        html = client.get(reverse(URL), filters).content.decode()
        return {o for o in ("Ministry of Digital", "Open Budget", "Watchdog") if o in html}

    assert names(stakeholder_group="government") == {"Ministry of Digital"}
    assert names(sector=civil.pk) == {"Open Budget", "Watchdog"}
    assert names(country="PL") == {"Watchdog"}
    assert names(q="kyiv") == {"Open Budget"}


def test_the_directory_costs_the_same_queries_for_10_and_500(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    sector = SectorFactory()
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Org {i:03}", sector=sector, country="GR", verified=True)
            for i in range(10)
        ]
    )
    with django_assert_max_num_queries(6) as few:  # count, page, the sectors of the filter
        client.get(reverse(URL))
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Org {i:03}", sector=sector, country="PT", verified=True)
            for i in range(10, 500)
        ]
    )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse(URL), {"page": 3})
    assert "500 organisations" in response.content.decode()


def test_an_organisation_page_lists_its_approved_members_only(client):
    organisation = OrganisationFactory(name="Open Budget Ukraine")
    UserFactory(organisation=organisation, full_name="Olena Kovalenko")
    UserFactory(organisation=organisation, full_name="Still Pending", membership_status="pending")

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert "Open Budget Ukraine" in html
    assert "Olena Kovalenko" in html
    assert "Still Pending" not in html


def test_an_unknown_organisation_is_not_found(client):
    assert client.get(reverse("members:organisation_detail", args=[999])).status_code == 404


def test_the_composition_page_shows_the_balance_by_group_sector_and_country(client):
    government = SectorFactory(
        slug="g", name="Ministry", stakeholder_group=StakeholderGroup.GOVERNMENT
    )
    civil = SectorFactory(slug="c", name="NGO", stakeholder_group=StakeholderGroup.NON_GOVERNMENT)
    UserFactory.create_batch(2, organisation=OrganisationFactory(sector=government, country="GR"))
    UserFactory(organisation=OrganisationFactory(sector=civil, country="UA"))
    UserFactory(
        organisation=OrganisationFactory(sector=civil, country="UA"), membership_status="pending"
    )

    html = client.get(reverse("members:composition")).content.decode()

    assert '<tr><th scope="row">Government</th><td>1</td><td>2</td>' in html
    assert (
        '<tr><th scope="row">Non-government</th><td>2</td><td>1</td>' in html
    )  # pending not counted
    assert '<tr><th scope="row">Ukraine</th><td>2</td><td>1</td>' in html
    assert '<meter min="0" max="2" value="2">' in html


def test_an_organisation_shows_its_logo(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    organisation = OrganisationFactory(name="Open Budget Ukraine")
    organisation.logo.save("logo.png", ContentFile(buffer.getvalue()))

    html = client.get(organisation.get_absolute_url()).content.decode()
    logo = client.get(reverse("members:organisation_logo", args=[organisation.pk]))

    assert 'alt="Logo of Open Budget Ukraine"' in html
    assert b"".join(logo.streaming_content) == buffer.getvalue()
