"""Check-in by QR code: a confirmed seat's signed code (on "My workshops", in the e-mail and
the calendar entry), read by the facilitator's check-in page (a camera's scan or the search
box) and answered with one confirmation, or with why it checks nobody in."""

from datetime import timedelta
from email.mime.base import MIMEBase

import pytest
import vobject
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from cocreation import seat_pass, services
from cocreation.models import Registration
from cocreation.services import workshop_register
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    """A workshop starting in an hour (check-in open), its facilitator and a seat."""
    # (Without the opening hours, a run at 22:00-24:00 UTC would find its day not begun.)
    workshop = WorkshopFactory(
        title="Open data",
        starts_at=timezone.now() + timedelta(hours=1),
        time_zone="Europe/Kyiv",
        check_in_opens_hours_before=24,  # open whatever the hour in Kyiv
    )
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    seat = RegistrationFactory(
        workshop=workshop,
        group="government",
        member=member_of("government", full_name="Olena Koval"),
    )
    return workshop, facilitator, seat


def find(client, workshop, text, **headers):
    return client.get(
        reverse("cocreation:check_in_find", args=[workshop.pk]), {"q": text}, **headers
    )


def check_in(client, workshop, code, **headers):
    return client.post(
        reverse("cocreation:check_in_seat", args=[workshop.pk]), {"seat_code": code}, **headers
    )


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_every_seat_gets_a_six_character_code_of_unambiguous_characters(today):
    workshop, _facilitator, seat = today
    others = [RegistrationFactory(workshop=workshop) for _ in range(3)]

    codes = {seat.seat_code, *(other.seat_code for other in others)}
    assert len(codes) == 4
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("01OIL")


def test_the_token_names_the_workshop_and_the_seat_not_the_member(today):
    workshop, _facilitator, seat = today

    token = seat.seat_token

    assert seat_pass.seat_token_read(token) == (workshop.pk, seat.seat_code)
    # What the token carries is the workshop and the seat's code, nothing of the member (a
    # random code may contain the member's id by chance: the whole part is compared).
    assert token.split(":")[0] == f"{workshop.pk}-{seat.seat_code}"
    assert seat_pass.seat_token_read(seat_pass.seat_pass_url(seat)) == (workshop.pk, seat.seat_code)


@pytest.mark.parametrize(
    "forged",
    [
        "not a code at all",
        "12-ABCDEF:" + "x" * 43,  # a made-up signature
        "https://elsewhere.example/workshops/seat/12-ABCDEF:abc/",
        "",
    ],
)
def test_a_forged_or_damaged_token_is_refused(forged):
    with pytest.raises(seat_pass.BadSeatToken):
        seat_pass.seat_token_read(forged)


def test_a_token_whose_seat_was_changed_fails_its_signature(today):
    _workshop, _facilitator, seat = today
    token = seat.seat_token
    other_code = "".join(reversed(seat.seat_code))
    tampered = token.replace(
        seat.seat_code, other_code if other_code != seat.seat_code else "ZZZZZZ"
    )

    with pytest.raises(seat_pass.BadSeatToken):
        seat_pass.seat_token_read(tampered)


def test_a_scan_shows_the_name_and_group_and_one_check_in_button(client, today):
    workshop, facilitator, seat = today
    client.force_login(facilitator)

    response = find(client, workshop, seat_pass.seat_pass_url(seat), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Olena Koval" in page
    assert "Government" in page
    assert page.count('name="seat_code"') == 1
    seat.refresh_from_db()
    assert seat.attendance == Registration.Attendance.UNKNOWN  # only once confirmed


def test_confirming_checks_them_in_and_a_second_scan_says_when(client, today):
    workshop, facilitator, seat = today
    client.force_login(facilitator)

    first = check_in(client, workshop, seat.seat_code, **HTMX)

    seat.refresh_from_db()
    assert seat.attendance == Registration.Attendance.ATTENDED
    local = seat.checked_in_at.astimezone(workshop.zone)
    time = f"{local:%H:%M}"
    assert f"Checked in: Olena Koval (Government) at {time} {local.tzname()}." in (
        first.content.decode()
    )
    assert AuditEntry.objects.filter(action="registration.checked_in").count() == 1

    again = find(client, workshop, seat.seat_token, **HTMX)
    assert (
        f"Olena Koval is already checked in at {time} {local.tzname()}." in again.content.decode()
    )
    assert 'name="seat_code"' not in again.content.decode()
    twice = check_in(client, workshop, seat.seat_code, **HTMX)
    assert twice.status_code == 409
    assert "already checked in at" in twice.content.decode()


def test_a_code_for_another_workshop_names_that_workshop(client, today):
    workshop, facilitator, _seat = today
    elsewhere = RegistrationFactory(workshop=WorkshopFactory(title="Budget transparency"))
    client.force_login(facilitator)

    response = find(client, workshop, seat_pass.seat_pass_url(elsewhere), **HTMX)

    assert response.status_code == 400
    assert "This code is for another workshop: Budget transparency" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.attendance == Registration.Attendance.UNKNOWN


def test_a_cancelled_seat_and_a_waiting_place_say_so(client, today):
    workshop, facilitator, seat = today
    waiting = RegistrationFactory(
        workshop=workshop,
        status="waiting",
        member=member_of("government", full_name="Ivan Petrenko"),
    )
    Registration.objects.filter(pk=seat.pk).update(status="cancelled")
    client.force_login(facilitator)

    cancelled = find(client, workshop, seat.seat_token, **HTMX).content.decode()
    waits = find(client, workshop, waiting.seat_code, **HTMX).content.decode()

    assert "This seat was cancelled" in cancelled and 'name="seat_code"' not in cancelled
    assert "Ivan Petrenko is on the waiting list" in waits and 'name="seat_code"' not in waits
    refused = check_in(client, workshop, seat.seat_code, **HTMX)
    assert refused.status_code == 409
    seat.refresh_from_db()
    assert seat.attendance == Registration.Attendance.UNKNOWN


def test_a_forged_code_is_a_clear_400_not_an_error_page(client, today):
    workshop, facilitator, seat = today
    client.force_login(facilitator)
    forged = f"{workshop.pk}-{seat.seat_code}:{'A' * 43}"

    scanned = find(client, workshop, forged, **HTMX)
    opened = client.get(reverse("cocreation:seat_pass", args=[forged]))
    unknown = check_in(client, workshop, "ZZZZZZ")

    assert scanned.status_code == 400
    assert "may be forged or damaged" in scanned.content.decode()
    assert opened.status_code == 400
    assert "may be forged or damaged" in opened.content.decode()
    assert unknown.status_code == 302  # without htmx: back to the page, with the message
    assert client.get(reverse("cocreation:seat_qr", args=[forged])).status_code == 404


def test_search_as_you_type_finds_by_part_of_the_name_or_by_the_seat_code(client, today):
    workshop, facilitator, seat = today
    RegistrationFactory(workshop=workshop, member=member_of("government", full_name="Maria Rossi"))
    client.force_login(facilitator)

    by_name = find(client, workshop, "kova", **HTMX).content.decode()
    by_code = find(client, workshop, seat.seat_code.lower(), **HTMX).content.decode()
    without_js = client.get(
        reverse("cocreation:check_in", args=[workshop.pk]), {"q": "olena"}
    ).content.decode()

    assert "Olena Koval" in by_name and "Maria Rossi" not in by_name
    assert "Olena Koval" in by_code and "Maria Rossi" not in by_code
    assert f'value="{seat.seat_code}"' in without_js  # the same confirmation, in the page
    nobody = find(client, workshop, "Nobody here", **HTMX).content.decode()
    assert "Nobody with a seat matches" in nobody


def test_the_search_costs_the_same_queries_for_one_match_or_several(
    client, today, django_assert_max_num_queries
):
    workshop, facilitator, _seat = today
    RegistrationFactory(workshop=workshop, member=member_of("government", full_name="Rossi 0"))
    client.force_login(facilitator)
    find(client, workshop, "Rossi", **HTMX)  # what a running process has read already

    with django_assert_max_num_queries(8) as one:
        assert find(client, workshop, "Rossi", **HTMX).content.decode().count("seat_code") == 1
    for n in range(1, 4):
        RegistrationFactory(
            workshop=workshop, member=member_of("government", full_name=f"Rossi {n}")
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert find(client, workshop, "Rossi", **HTMX).content.decode().count("seat_code") == 4


def test_without_javascript_the_confirmation_checks_in_and_says_so(client, today):
    workshop, facilitator, seat = today
    client.force_login(facilitator)

    response = check_in(client, workshop, seat.seat_code.lower(), follow=True)

    assert "Olena Koval (Government) is checked in at" in response.content.decode()


def test_a_member_may_not_scan_or_check_in_and_the_service_refuses_too(client, today):
    workshop, _facilitator, seat = today
    member = member_of("government")
    client.force_login(member)

    assert find(client, workshop, seat.seat_code).status_code == 403
    assert check_in(client, workshop, seat.seat_code).status_code == 403
    assert client.get(reverse("cocreation:seat_pass", args=[seat.seat_token])).status_code == 403
    with pytest.raises(NotAllowed):
        services.seat_check_in(registration=seat, by=member)
    with pytest.raises(NotAllowed):
        services.seat_pass_find(workshop=workshop, text=seat.seat_code, by=member)


def test_the_secretariat_checks_in_too(client, today):
    workshop, _facilitator, seat = today
    client.force_login(UserFactory(roles=["secretariat"]))

    response = check_in(client, workshop, seat.seat_code, **HTMX)

    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.attendance == Registration.Attendance.ATTENDED


def test_a_phone_camera_opening_the_code_asks_the_facilitator_to_confirm(client, today):
    workshop, facilitator, seat = today
    client.force_login(facilitator)

    response = client.get(reverse("cocreation:seat_pass", args=[seat.seat_token]))

    page = response.content.decode()
    assert "Check in this seat?" in page
    assert "Check in Olena Koval (Government)" in page


def test_the_member_sees_their_pass_on_my_workshops_and_its_own_page(client, today):
    _workshop, _facilitator, seat = today
    client.force_login(seat.member)

    my_forum = client.get(reverse("members:my_forum")).content.decode()
    own = client.get(reverse("cocreation:seat_pass", args=[seat.seat_token])).content.decode()
    image = client.get(reverse("cocreation:seat_qr", args=[seat.seat_token]))

    workshop_page = client.get(seat.workshop.get_absolute_url()).content.decode()

    qr = reverse("cocreation:seat_qr", args=[seat.seat_token])
    assert reverse("cocreation:seat_pass", args=[seat.seat_token]) in workshop_page
    assert qr in my_forum and seat.seat_code in my_forum
    assert f"code {seat.seat_code}" in my_forum  # the image's alt text
    assert qr in own and "Show this code at the door" in own
    assert image["Content-Type"] == "image/svg+xml"
    assert image.content.startswith(b"<svg")


def test_a_waiting_place_has_no_qr_code_on_my_workshops(client, today):
    workshop, _facilitator, _seat = today
    waiting = RegistrationFactory(workshop=workshop, status="waiting")
    client.force_login(waiting.member)

    my_forum = client.get(reverse("members:my_forum")).content.decode()

    assert reverse("cocreation:seat_qr", args=[waiting.seat_token]) not in my_forum


def _attachments(message):
    return {
        (part.get_filename() if isinstance(part, MIMEBase) else part[0]): part
        for part in message.attachments
    }


def test_the_confirmation_email_carries_the_qr_code_and_the_calendar_entry_links_to_it(
    django_capture_on_commit_callbacks,
):
    workshop = WorkshopFactory()
    member = member_of("government")

    with django_capture_on_commit_callbacks(execute=True):
        with_seat = workshop_register(workshop=workshop, member=member)

    message = next(m for m in mail.outbox if m.to == [member.email])
    files = _attachments(message)
    assert f"give them your seat code: {with_seat.seat_code}." in message.body
    png = files[f"seat-{with_seat.seat_code}.png"]
    assert png[1].startswith(b"\x89PNG") and png[2] == "image/png"
    ics = files[f"workshop-{workshop.pk}.ics"][1]  # text/* comes back as str
    entry = vobject.readOne(ics if isinstance(ics, str) else ics.decode()).vevent
    assert seat_pass.seat_pass_url(with_seat) in entry.description.value.replace("\n", "")


def test_the_calendar_feed_links_each_seat_to_its_qr_code(client, today):
    workshop, _facilitator, seat = today
    client.force_login(seat.member)
    feed = services.calendar_feed_of(member=seat.member)

    response = client.get(reverse("cocreation:my_workshops_feed", args=[feed.token]))

    entry = vobject.readOne(response.content.decode()).vevent
    assert seat_pass.seat_pass_url(seat) in entry.description.value


def test_a_seat_code_clash_on_registering_is_tried_again(monkeypatch):
    workshop = WorkshopFactory()
    taken = RegistrationFactory(workshop=workshop, group="non_government")
    draws = iter([taken.seat_code, "HJKMNP"])
    monkeypatch.setattr(
        Registration._meta.get_field("seat_code"), "_get_default", lambda: next(draws)
    )

    registration = workshop_register(workshop=workshop, member=member_of("government"))

    assert registration.seat_code == "HJKMNP"


@pytest.fixture
def back_to_latest(transactional_db):
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_gives_places_made_before_it_their_own_codes(back_to_latest):
    executor = MigrationExecutor(connection)
    # The members app back to before its gender column too: the old User below has no such
    # field, and PostgreSQL would refuse its row (the column has no default in the database).
    before = [("cocreation", "0014_merge_20261205_1334"), ("members", "0010_organisation_change")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    forum = old.get_model("members", "Forum").objects.create(
        name="Forum", slug="f", kind="national"
    )
    process = old.get_model("cocreation", "CoCreationProcess").objects.create(
        forum=forum, title="P", slug="p"
    )
    now = timezone.now()
    Workshop = old.get_model("cocreation", "Workshop")  # noqa: N806 - a model class
    User = old.get_model("members", "User")  # noqa: N806
    Registration_ = old.get_model("cocreation", "Registration")  # noqa: N806
    workshops = [
        Workshop.objects.create(
            process=process, title=f"W{i}", starts_at=now, ends_at=now + timedelta(hours=1)
        )
        for i in range(2)
    ]
    for i in range(5):
        Registration_.objects.create(
            workshop=workshops[i % 2],
            member=User.objects.create(email=f"m{i}@example.org"),
            stakeholder_group="government",
            status="confirmed",
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("cocreation", "0015_seat_codes_and_check_in_time")])

    new = executor.loader.project_state([("cocreation", "0015_seat_codes_and_check_in_time")]).apps
    codes = list(
        new.get_model("cocreation", "Registration").objects.values_list("seat_code", flat=True)
    )
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(seat_pass.is_seat_code(code) for code in codes)
