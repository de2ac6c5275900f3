import pytest
from django.urls import reverse
from django.utils import timezone

from cocreation import services
from cocreation.models import Minutes, Registration
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


def test_minutes_written_in_markdown_are_shown_formatted_and_cleaned(
    client, workshop_with_attendance
):
    workshop, facilitator = workshop_with_attendance
    client.force_login(facilitator)
    url = reverse("cocreation:minutes", args=[workshop.pk])
    text = (
        "## Decisions\n\nWe agreed on **three** ideas.\nA second line.\n\n"
        "- open budgets\n- open contracts\n\n"
        "[Slides](https://example.org/s) <script>alert(1)</script>"
    )

    client.post(url, {"text": text, "publish": "on"})
    client.logout()
    html = client.get(url).content.decode()

    assert "<h2>Decisions</h2>" in html
    assert "<p>We agreed on <strong>three</strong> ideas.\nA second line.</p>" in html
    assert "<li>open budgets</li>" in html
    assert 'href="https://example.org/s"' in html
    assert "alert(1)" not in html


def test_the_facilitator_edits_the_markdown_they_wrote(client, workshop_with_attendance):
    workshop, facilitator = workshop_with_attendance
    client.force_login(facilitator)
    url = reverse("cocreation:minutes", args=[workshop.pk])
    client.post(url, {"text": "We agreed on **three** ideas."})

    form = client.get(url).content.decode()

    assert "We agreed on **three** ideas.</textarea>" in form


def test_the_preview_shows_the_minutes_without_saving_them(client, workshop_with_attendance):
    workshop, facilitator = workshop_with_attendance
    client.force_login(facilitator)
    url = reverse("cocreation:minutes", args=[workshop.pk])

    response = client.post(url, {"text": "First *draft*", "publish": "on", "preview": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview (not saved yet)" in html
    assert "<p>First <em>draft</em></p>" in html
    assert "First *draft*</textarea>" in html  # still there to go on writing
    assert not Minutes.objects.filter(workshop=workshop).exists()


def test_minutes_written_in_html_before_keep_displaying(client, workshop_with_attendance):
    workshop, _facilitator = workshop_with_attendance
    Minutes.objects.create(
        workshop=workshop,
        text="<p>Old <b>HTML</b> minutes.</p><ul><li>one</li></ul>",
        published_at=timezone.now(),
    )

    html = client.get(reverse("cocreation:minutes", args=[workshop.pk])).content.decode()

    assert "<p>Old <b>HTML</b> minutes.</p><ul><li>one</li></ul>" in html


def test_old_html_minutes_saved_again_stay_the_same(workshop_with_attendance):
    workshop, facilitator = workshop_with_attendance

    saved = services.minutes_save(
        workshop=workshop, text="<p>Old <b>HTML</b> minutes.</p>", publish=True, by=facilitator
    )

    assert saved.text == "<p>Old <b>HTML</b> minutes.</p>"
