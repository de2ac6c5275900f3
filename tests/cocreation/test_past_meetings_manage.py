"""A forum's secretariat records the meetings its forum held outside the portal, in the
back office (/manage/<forum>/past-meetings/): it lists and searches them, records one with
its minutes, corrects it, takes its file away, deletes it after confirming. A refusal is
shown beside its field with what was typed kept; the pages are the forum's secretariat's
only; the minutes file is public."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from cocreation.models import PastMeeting, Workshop
from tests.factories import ForumFactory, UserFactory, role_give

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minutes of the plenary"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def forum():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def secretariat(forum):
    member = UserFactory(full_name="Jelena Secretariat")
    role_give(member, "secretariat", forum)
    return member


@pytest.fixture
def logged_in(client, secretariat):
    client.force_login(secretariat)
    return client


def manage(name, forum, *args):
    return reverse(f"manage:{name}", args=[forum.slug, *args])


def meeting_of(forum, **fields) -> PastMeeting:
    fields = {"held_on": date(2023, 3, 14), "title": "Forum plenary", **fields}
    return PastMeeting.objects.create(forum=forum, **fields)


def upload(name="minutes.pdf", content=PDF, kind="application/pdf"):
    return SimpleUploadedFile(name, content, kind)


def the_form(**fields) -> dict:
    return {
        "held_on": "2023-03-14",
        "title": "Forum plenary",
        "kind": Workshop.Kind.FORUM_MEETING,
        "minutes_url": "",
        "present_government": "12",
        "present_non_government": "9",
        **fields,
    }


def field_group(html: str, name: str) -> str:
    """The errors shown beside the field `name` (the list its input is described by)."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error beside {name}"
    assert re.search(rf'aria-describedby="[^"]*\bid_{name}_error\b', html)  # read with it
    return match.group(1)


def day(value: date, language="en") -> str:
    with translation.override(language):
        return date_format(value, "DATE_FORMAT")


def test_the_secretariat_records_finds_corrects_and_deletes_a_past_meeting(
    logged_in, forum, django_capture_on_commit_callbacks, media
):
    empty = logged_in.get(manage("past_meetings", forum)).content.decode()
    assert "No past meeting is recorded yet" in empty
    assert f'href="{manage("imports", forum)}?content=meetings"' in empty
    assert f'href="{manage("past_meetings", forum)}">Past meetings</a>' in empty  # the menu

    form_page = logged_in.get(manage("past_meeting_add", forum)).content.decode()
    assert 'enctype="multipart/form-data"' in form_page
    assert 'type="date"' in form_page
    assert 'accept=".csv,.docx,.jpeg,.jpg,.odp,.ods,.odt,.pdf,.png,.pptx,.txt,.xlsx"' in form_page
    assert "Remove the minutes file" not in form_page  # nothing kept yet

    added = logged_in.post(
        manage("past_meeting_add", forum),
        the_form(minutes_file=upload()),
        follow=True,
    )
    logged_in.post(
        manage("past_meeting_add", forum),
        the_form(
            held_on="2022-11-02",
            title="Review of the 2nd plan",
            kind=Workshop.Kind.IMPLEMENTATION_REVIEW,
            present_government="",
            present_non_government="",
        ),
    )

    listing = added.content.decode()
    plenary = PastMeeting.objects.get(forum=forum, title="Forum plenary")
    assert added.redirect_chain[-1][0] == manage("past_meetings", forum)
    assert f"The meeting “Forum plenary” of {day(date(2023, 3, 14))} is recorded." in listing
    assert day(date(2023, 3, 14)) in listing
    assert "Forum meeting" in listing
    assert f'href="/workshops/past-meetings/{plenary.pk}/minutes/"' in listing
    assert "12 / 9" in listing
    assert plenary.recorded_by.full_name == "Jelena Secretariat"

    both = logged_in.get(manage("past_meetings", forum)).content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>', both)
    assert rows == ["Forum plenary", "Review of the 2nd plan"]  # the latest first
    review_row = both[both.index('<th scope="row">Review of the 2nd plan') :]
    review_row = review_row[: review_row.index("</tr>")]
    assert "none" in review_row and "not recorded" in review_row
    assert "Implementation review" in review_row

    found = logged_in.get(manage("past_meetings", forum), {"q": "plenary"}).content.decode()
    assert "Forum plenary" in found and "Review of the 2nd plan" not in found
    by_kind = logged_in.get(
        manage("past_meetings", forum), {"kind": Workshop.Kind.IMPLEMENTATION_REVIEW}
    ).content.decode()
    assert "Review of the 2nd plan" in by_kind and "Forum plenary" not in by_kind
    nothing = logged_in.get(manage("past_meetings", forum), {"q": "budget"}).content.decode()
    assert "No recorded meeting matches." in nothing

    edit_url = manage("past_meeting_edit", forum, plenary.pk)
    edit_page = logged_in.get(edit_url).content.decode()
    assert 'value="Forum plenary"' in edit_page and 'value="2023-03-14"' in edit_page
    assert f'href="/workshops/past-meetings/{plenary.pk}/minutes/"' in edit_page  # file kept
    assert 'name="file_remove"' in edit_page

    saved = logged_in.post(
        edit_url, the_form(title="First forum plenary", present_government="14"), follow=True
    )
    assert "The meeting “First forum plenary” is saved." in saved.content.decode()
    assert "14 / 9" in saved.content.decode()
    plenary.refresh_from_db()
    assert plenary.minutes_file  # kept when no new file is given
    stored = Path(media) / plenary.minutes_file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(edit_url, the_form(title="First forum plenary", file_remove="on"))
    plenary.refresh_from_db()
    assert not plenary.minutes_file
    assert not stored.exists()
    assert logged_in.get(f"/workshops/past-meetings/{plenary.pk}/minutes/").status_code == 404
    assert 'name="file_remove"' not in logged_in.get(edit_url).content.decode()

    delete_url = manage("past_meeting_delete", forum, plenary.pk)
    confirm = logged_in.get(delete_url).content.decode()
    assert "Delete the meeting “First forum plenary” of" in confirm
    assert PastMeeting.objects.filter(pk=plenary.pk).exists()  # asking deletes nothing
    deleted = logged_in.post(delete_url, follow=True)
    assert deleted.redirect_chain[-1][0] == manage("past_meetings", forum)
    assert "The meeting “First forum plenary” of" in deleted.content.decode()
    assert "is deleted." in deleted.content.decode()
    assert not PastMeeting.objects.filter(pk=plenary.pk).exists()
    assert [m.title for m in PastMeeting.objects.filter(forum=forum)] == ["Review of the 2nd plan"]


def test_the_list_shows_dates_in_the_pages_language(client, forum, secretariat):
    meeting_of(forum, held_on=date(2021, 5, 20))
    client.force_login(secretariat)
    client.cookies["django_language"] = "el"
    page = client.get(manage("past_meetings", forum), headers={"accept-language": "el"})
    assert '<html lang="el"' in page.content.decode()
    assert day(date(2021, 5, 20), "el") in page.content.decode()


def test_a_day_to_come_is_refused_beside_the_date_with_the_title_kept(logged_in, forum):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = logged_in.post(
        manage("past_meeting_add", forum),
        the_form(held_on=tomorrow.isoformat(), title="Plenary «on open budgets»"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "A past meeting was held today or earlier" in field_group(html, "held_on")
    assert 'value="Plenary «on open budgets»"' in html
    assert 'value="12"' in html  # the figures typed are kept too
    assert not PastMeeting.objects.exists()


def test_the_same_meeting_twice_is_refused_beside_the_title(logged_in, forum):
    meeting_of(forum, title="Plenary: the 3rd plan")
    response = logged_in.post(
        manage("past_meeting_add", forum), the_form(title="plenary - THE 3rd plan!")
    )
    assert response.status_code == 400
    assert "A meeting of this title on this day is recorded already." in field_group(
        response.content.decode(), "title"
    )
    assert PastMeeting.objects.count() == 1
    another_day = logged_in.post(
        manage("past_meeting_add", forum),
        the_form(held_on="2023-03-15", title="plenary - THE 3rd plan!"),
    )
    assert another_day.status_code == 302
    assert PastMeeting.objects.count() == 2


def test_a_correction_into_another_recorded_meeting_is_refused(logged_in, forum):
    meeting_of(forum, title="Plenary")
    other = meeting_of(forum, title="Working group")
    response = logged_in.post(
        manage("past_meeting_edit", forum, other.pk), the_form(title="PLENARY")
    )
    assert response.status_code == 400
    assert "recorded already" in field_group(response.content.decode(), "title")
    other.refresh_from_db()
    assert other.title == "Working group"


@pytest.mark.parametrize(
    ("file", "refusal"),
    [
        (upload("minutes.exe", b"MZ\x90\x00", "application/octet-stream"), "not accepted"),
        (upload("minutes.pdf", b"<html>not a pdf</html>"), "is not a .pdf file"),
    ],
)
def test_a_file_of_another_type_is_refused_beside_the_file(logged_in, forum, file, refusal):
    response = logged_in.post(
        manage("past_meeting_add", forum), the_form(minutes_file=file, title="Plenary")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert refusal in field_group(html, "minutes_file")
    assert 'value="Plenary"' in html
    assert not PastMeeting.objects.exists()


def test_a_malformed_link_is_refused_beside_the_link(logged_in, forum):
    response = logged_in.post(
        manage("past_meeting_add", forum), the_form(minutes_url="not a link at all")
    )
    assert response.status_code == 400
    assert 'id="id_minutes_url_error"' in response.content.decode()
    assert not PastMeeting.objects.exists()


def _every_page(forum, meeting):
    return [
        ("get", manage("past_meetings", forum)),
        ("get", manage("past_meeting_add", forum)),
        ("post", manage("past_meeting_add", forum)),
        ("get", manage("past_meeting_edit", forum, meeting.pk)),
        ("post", manage("past_meeting_edit", forum, meeting.pk)),
        ("get", manage("past_meeting_delete", forum, meeting.pk)),
        ("post", manage("past_meeting_delete", forum, meeting.pk)),
    ]


def test_another_forums_secretariat_is_refused_and_cannot_reach_our_meetings(client, forum):
    ours = meeting_of(forum)
    theirs = ForumFactory(name="Gdańsk partners", slug="gdansk")
    stranger = UserFactory()
    role_give(stranger, "secretariat", theirs)
    client.force_login(stranger)

    for method, url in _every_page(forum, ours):
        assert getattr(client, method)(url, the_form()).status_code == 403, (method, url)
    # Our meeting's number in the addresses of their own forum: no such meeting there.
    for method, url in _every_page(theirs, ours)[3:]:
        assert getattr(client, method)(url, the_form()).status_code == 404, (method, url)
    assert client.get(manage("past_meetings", theirs)).status_code == 200
    ours.refresh_from_db()
    assert ours.title == "Forum plenary"
    assert not PastMeeting.objects.filter(forum=theirs).exists()


def test_a_member_is_refused_every_page(client, forum):
    meeting = meeting_of(forum)
    client.force_login(UserFactory())
    for method, url in _every_page(forum, meeting):
        assert getattr(client, method)(url, the_form()).status_code == 403, (method, url)
    assert PastMeeting.objects.filter(pk=meeting.pk).exists()


def test_a_visitor_is_sent_to_log_in(client, forum):
    response = client.get(manage("past_meetings", forum))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_a_meeting_number_that_cannot_be_is_not_found(logged_in, forum, pk):
    base = f"/manage/{forum.slug}/past-meetings/{pk}"
    assert logged_in.get(f"{base}/edit/").status_code == 404
    assert logged_in.post(f"{base}/edit/", the_form()).status_code == 404
    assert logged_in.get(f"{base}/delete/").status_code == 404
    assert logged_in.post(f"{base}/delete/").status_code == 404


def test_the_list_is_paginated_with_its_search_kept(logged_in, forum):
    first = date(2020, 1, 1)
    PastMeeting.objects.bulk_create(
        PastMeeting(forum=forum, held_on=first + timedelta(days=n), title=f"Plenary {n}")
        for n in range(55)
    )
    page_one = logged_in.get(manage("past_meetings", forum), {"q": "plenary"}).content.decode()
    assert "55 meetings" in page_one
    assert "Plenary 54" in page_one and "Plenary 4<" not in page_one
    assert re.search(r'href="\?[^"]*q=plenary[^"]*page=2"|href="\?page=2[^"]*q=plenary', page_one)
    page_two = logged_in.get(
        manage("past_meetings", forum), {"q": "plenary", "page": 2}
    ).content.decode()
    assert "Plenary 4<" in page_two and "Plenary 54" not in page_two


def test_the_list_asks_the_database_as_often_for_one_meeting_as_for_many(logged_in, forum):
    meeting_of(forum)
    logged_in.get(manage("past_meetings", forum))  # what the first request of a session sets
    with CaptureQueriesContext(connection) as one:
        assert logged_in.get(manage("past_meetings", forum)).status_code == 200
    for n in range(1, 6):
        meeting_of(forum, title=f"Working group {n}", minutes_url="https://example.org/m")
    with CaptureQueriesContext(connection) as six:
        assert logged_in.get(manage("past_meetings", forum)).status_code == 200
    assert len(six) == len(one)


def test_the_minutes_file_is_served_to_anyone_and_a_meeting_without_one_is_not_found(client, forum):
    with_file = meeting_of(forum)
    with_file.minutes_file.save("plenary.pdf", upload(), save=True)
    with_link = meeting_of(forum, title="Working group", minutes_url="https://example.org/m")

    response = client.get(with_file.minutes_link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="plenary' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert with_link.minutes_link == "https://example.org/m"
    assert client.get(f"/workshops/past-meetings/{with_link.pk}/minutes/").status_code == 404
