import pytest
from django.urls import reverse

from cocreation.models import Registration
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop_with_attendance():
    workshop = WorkshopFactory(government_quota=3, non_government_quota=3)
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    for group, named, came in [
        ("government", True, True),
        ("government", False, True),
        ("non_government", True, True),
        ("non_government", True, False),
    ]:
        RegistrationFactory(
            workshop=workshop,
            group=group,
            agrees_to_be_named=named,
            attendance="attended" if came else "no_show",
            member=member_of(group, full_name=f"{group} {named} {came}"),
        )
    return workshop, facilitator


def test_facilitators_publish_cleaned_minutes_with_attendance(client, workshop_with_attendance):
    workshop, facilitator = workshop_with_attendance
    client.force_login(facilitator)
    url = reverse("cocreation:minutes", args=[workshop.pk])

    response = client.post(
        url,
        {"text": "<p>Agreed <b>three</b> ideas.</p><script>alert(1)</script>", "publish": "on"},
        follow=True,
    )

    assert "The minutes are published." in response.content.decode()
    client.logout()
    html = client.get(url).content.decode()
    assert "<p>Agreed <b>three</b> ideas.</p>" in html
    assert "alert(1)" not in html
    assert "3 participants attended" in html
    assert "government True True" in html  # attended and agreed
    assert "government False True" not in html  # attended, did not agree
    assert "non_government True False" not in html  # agreed, did not come


def test_a_draft_is_hidden_from_the_public(client, workshop_with_attendance):
    workshop, facilitator = workshop_with_attendance
    client.force_login(facilitator)
    url = reverse("cocreation:minutes", args=[workshop.pk])
    client.post(url, {"text": "Work in progress"})

    assert "Draft: only facilitators" in client.get(url).content.decode()
    client.logout()
    assert "Work in progress" not in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["participant", "anonymous"])
def test_only_moderators_write_minutes(client, workshop_with_attendance, role):
    workshop, _facilitator = workshop_with_attendance
    if role == "participant":
        client.force_login(Registration.objects.filter(workshop=workshop).first().member)

    response = client.post(reverse("cocreation:minutes", args=[workshop.pk]), {"text": "x"})

    assert response.status_code == 403


def test_the_secretariat_may_write_minutes(client, workshop_with_attendance):
    workshop, _facilitator = workshop_with_attendance
    client.force_login(UserFactory(roles=["secretariat"]))

    response = client.post(reverse("cocreation:minutes", args=[workshop.pk]), {"text": "Notes"})

    assert response.status_code == 302
