"""A forum's secretariat creates its workshops at /manage/<forum>/workshops/new/: times read
in the chosen time zone, only the forum's own processes, errors beside the fields."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cocreation import services
from cocreation.models import CoCreationProcess, Workshop
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from core.notifications.models import Notification
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
    seat_give,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def city_secretariat(city):
    member = UserFactory()
    role_give(member, "secretariat", city)
    return member


@pytest.fixture
def process(city):
    return CoCreationProcessFactory(forum=city, title="Co-creation of Pančevo's 1st plan")


def url(forum):
    return reverse("manage:workshop_create", args=[forum.slug])


def form_data(process=None, **overrides):
    data = {
        "process": process.pk if process else "",
        "new_process_title": "",
        "title": "Open budgets of Pančevo",
        "kind": "cocreation",
        "description": "Where the city's money goes.",
        "time_zone": "Europe/Belgrade",
        "starts_at": "2027-01-15T10:00",
        "ends_at": "2027-01-15T13:00",
        "venue": "City hall, room 4",
        "online_link": "",
        "language": "sr",
        "capacity": "30",
        "government_quota": "15",
        "non_government_quota": "15",
        "status": "draft",
    }
    data.update(overrides)
    return data


def test_the_secretariat_creates_a_workshop_with_times_read_in_its_zone(
    client, city, city_secretariat, process, settings
):
    settings.TIME_ZONE = "Europe/Athens"  # the portal's zone is neither UTC nor the workshop's
    client.force_login(city_secretariat)

    response = client.post(url(city), form_data(process), follow=True)

    workshop = Workshop.objects.get()
    # to its page in the back office, where its partners, facilitators and kit are added
    assert response.redirect_chain == [
        (reverse("manage:workshop_manage", args=[city.slug, workshop.pk]), 302)
    ]
    assert workshop.process == process and workshop.process.forum == city
    # 10:00 in Belgrade in winter (CET, UTC+1) is 09:00 UTC.
    assert workshop.starts_at == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    assert workshop.ends_at == datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
    assert workshop.time_zone == "Europe/Belgrade"
    assert (workshop.capacity, workshop.government_quota, workshop.language) == (30, 15, "sr")
    assert workshop.status == Workshop.Status.DRAFT and workshop.announced_at is None
    page = response.content.decode()
    assert "is created" in page and "Open budgets of Pančevo" in page
    assert "Draft · " in page  # its status, on its back-office page
    entry = AuditEntry.objects.get(action="workshop.created")
    assert entry.actor == city_secretariat and entry.data["forum"] == "pancevo"


def test_a_workshop_created_published_is_announced_unless_the_box_is_cleared(
    client, city, city_secretariat, process, django_capture_on_commit_callbacks
):
    body_member = UserFactory()
    seat_give(body_member, forum=city)
    client.force_login(city_secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(city), form_data(process, status="published", announce="on"))
        client.post(url(city), form_data(process, status="published", title="Quiet one"))

    told = Notification.objects.filter(kind="workshop_announced", recipient=body_member)
    assert [n.about_id for n in told] == [
        str(Workshop.objects.get(title="Open budgets of Pančevo").pk)
    ]


def test_a_forum_without_processes_starts_one_with_its_first_workshop(
    client, city, city_secretariat
):
    client.force_login(city_secretariat)
    form = client.get(url(city)).context["form"]
    assert list(form.fields["process"].queryset) == []

    response = client.post(
        url(city),
        form_data(new_process_title="Co-creation of Pančevo's 1st plan", status="published"),
    )

    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert workshop.process.forum == city
    assert workshop.process.title == "Co-creation of Pančevo's 1st plan"
    assert workshop.process.slug == "co-creation-of-pancevos-1st-plan"
    assert workshop.status == Workshop.Status.PUBLISHED and workshop.announced_at is not None
    assert AuditEntry.objects.filter(action="process.created").count() == 1


def test_the_form_offers_only_the_forums_own_processes(client, city, city_secretariat, process):
    CoCreationProcessFactory(title="The national process")  # the default forum's
    client.force_login(city_secretariat)

    form = client.get(url(city)).context["form"]

    assert list(form.fields["process"].queryset) == [process]


def _errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_a_workshop_ending_before_it_starts_is_refused_beside_the_end(
    client, city, city_secretariat, process
):
    client.force_login(city_secretariat)

    response = client.post(url(city), form_data(process, ends_at="2027-01-15T09:00"))

    assert response.status_code == 400
    assert _errors(response, "ends_at") == ["The workshop must end after it starts."]
    assert 'value="Open budgets of Pančevo"' in response.content.decode()  # kept
    assert not Workshop.objects.exists()


def test_quotas_over_the_capacity_are_refused_beside_the_capacity(
    client, city, city_secretariat, process
):
    client.force_login(city_secretariat)

    response = client.post(
        url(city), form_data(process, government_quota="20", non_government_quota="15")
    )

    assert response.status_code == 400
    assert "add up to the capacity" in _errors(response, "capacity")[0]
    assert not Workshop.objects.exists()


def test_a_process_of_another_forum_posted_by_hand_is_a_field_error(client, city, city_secretariat):
    national = CoCreationProcessFactory()  # the default forum's
    client.force_login(city_secretariat)

    response = client.post(url(city), form_data(national))

    assert response.status_code == 400
    assert _errors(response, "process")  # "Select a valid choice", beside the field
    assert not Workshop.objects.exists()


def test_neither_a_process_nor_a_new_one_is_a_field_error(client, city, city_secretariat):
    client.force_login(city_secretariat)

    response = client.post(url(city), form_data())

    assert response.status_code == 400
    assert _errors(response, "process") == ["Choose a process, or name a new one."]


def test_a_time_the_clocks_skip_is_refused(client, city, city_secretariat, process):
    client.force_login(city_secretariat)

    # 28 March 2027: Belgrade's clocks go from 02:00 straight to 03:00.
    response = client.post(
        url(city),
        form_data(process, starts_at="2027-03-28T02:30", ends_at="2027-03-28T05:00"),
    )

    assert response.status_code == 400
    assert "does not exist in Europe/Belgrade" in _errors(response, "starts_at")[0]


def test_the_service_refuses_another_forums_secretariat(city, process):
    national_secretariat = UserFactory(roles=["secretariat"])  # of the default forum

    with pytest.raises(NotAllowed):
        services.workshop_create(
            forum=city,
            fields=_service_fields(process),
            by=national_secretariat,
        )
    assert not Workshop.objects.exists()


def test_the_service_refuses_a_process_of_another_forum(city, city_secretariat):
    national = CoCreationProcessFactory()

    with pytest.raises(ValidationError) as refused:
        services.workshop_create(forum=city, fields=_service_fields(national), by=city_secretariat)

    assert "process" in refused.value.error_dict
    assert not Workshop.objects.exists()


def test_the_service_rolls_back_a_new_process_when_the_workshop_is_invalid(city, city_secretariat):
    fields = _service_fields(None, new_process_title="A new process", capacity=1)

    with pytest.raises(ValidationError):
        services.workshop_create(forum=city, fields=fields, by=city_secretariat)

    assert not CoCreationProcess.objects.filter(forum=city).exists()


def test_a_draft_is_hidden_from_everyone_but_its_forums_secretariat(
    client, city, city_secretariat, process
):
    workshop = services.workshop_create(
        forum=city, fields=_service_fields(process), by=city_secretariat
    )
    for outsider in (None, UserFactory(), UserFactory(roles=["secretariat"])):
        client.logout()
        if outsider:
            client.force_login(outsider)
        assert client.get(workshop.get_absolute_url()).status_code == 404
    client.force_login(city_secretariat)
    assert client.get(workshop.get_absolute_url()).status_code == 200


def _service_fields(process, **overrides):
    fields = {
        "process": process,
        "title": "Open budgets",
        "kind": "cocreation",
        "time_zone": "Europe/Belgrade",
        "starts_at": datetime(2027, 1, 15, 9, 0, tzinfo=UTC),
        "ends_at": datetime(2027, 1, 15, 12, 0, tzinfo=UTC),
        "venue": "City hall",
        "language": "sr",
        "capacity": 4,
        "government_quota": 2,
        "non_government_quota": 2,
        "status": "draft",
    }
    fields.update(overrides)
    return fields


def test_the_form_proposes_the_forums_own_time_zone_and_language(
    client, city, city_secretariat, process
):
    client.force_login(city_secretariat)
    page = client.get(url(city)).content.decode()
    # No workshop yet: the zone of the forum's country (Serbia).
    assert '<option value="Europe/Belgrade" selected>' in page

    WorkshopFactory(process=process, time_zone="Europe/Lisbon", language="pt")
    page = client.get(url(city)).content.decode()
    assert '<option value="Europe/Lisbon" selected>' in page  # where its last one was
    assert '<option value="pt" selected>' in page
