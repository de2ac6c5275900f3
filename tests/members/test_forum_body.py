from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import ForumSeat, StakeholderGroup
from tests.factories import default_forum, member_of

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT


def seat(member, **kwargs):
    return ForumSeat.objects.create(
        forum=kwargs.pop("forum", None) or default_forum(),
        member=member,
        organisation=member.organisation,
        stakeholder_group=member.organisation.sector.stakeholder_group,
        term_start=kwargs.pop("term_start", date(2026, 1, 1)),
        **kwargs,
    )


def test_the_public_page_shows_seats_terms_alternates_and_co_chairs(client):
    chair = member_of(GOV, full_name="Eleni Papadopoulou")
    alternate = member_of(GOV, full_name="Dimitris Georgiou")
    seat(chair, alternate=alternate, co_chair=True)
    seat(member_of("non_government", full_name="Agnieszka Nowak"), co_chair=True)
    seat(member_of(GOV, full_name="Term Over"), term_end=date(2026, 6, 30))

    html = client.get(reverse("members:forum_body")).content.decode()

    assert 'Eleni Papadopoulou <span class="badge">co-chair</span>' in html
    assert "Dimitris Georgiou" in html
    assert 'Agnieszka Nowak <span class="badge">co-chair</span>' in html
    assert "Term Over" not in html  # their term has ended


def test_the_database_refuses_a_second_open_co_chair_in_a_group():
    seat(member_of(GOV), co_chair=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        seat(member_of(GOV), co_chair=True)


def test_a_seat_must_be_in_its_organisations_group():
    member = member_of(GOV)
    wrong = ForumSeat(
        forum=default_forum(),
        member=member,
        organisation=member.organisation,
        stakeholder_group="non_government",
        term_start=date(2026, 1, 1),
    )

    with pytest.raises(ValidationError, match="other stakeholder group"):
        wrong.full_clean()
