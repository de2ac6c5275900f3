"""The portal's corrections to Django's date formats (forum/formats/): Greek times in the
24-hour clock and Portuguese months in lower case, on pages, in e-mails and in the PDF."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from actionplans import rendering
from core.notifications.models import Notification
from core.timezones import time_label
from tests.factories import ActionPlanFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

ATHENS = ZoneInfo("Europe/Athens")
AFTERNOON = datetime(2027, 7, 1, 16, 5, tzinfo=ATHENS)
TWELVE_HOUR_CLOCK = re.compile(r"\d\s*[μπ]\.?\s?μ\.")  # "4 μμ.", "4 μ.μ.", "10 π.μ."


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_greek_times_are_in_the_24_hour_clock():
    with translation.override("el"):
        assert formats.date_format(AFTERNOON, "TIME_FORMAT") == "16:05"
        assert formats.date_format(AFTERNOON, "SHORT_DATETIME_FORMAT") == "01/07/2027 16:05"
        assert formats.date_format(AFTERNOON, "MONTH_DAY_FORMAT") == "1 Ιουλίου"
    assert time_label(AFTERNOON, ATHENS, "el") == "01/07/2027 16:05 EEST"


def test_a_greek_member_reads_the_workshop_time_in_the_24_hour_clock(
    client, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(starts_at=AFTERNOON, ends_at=AFTERNOON.replace(hour=18))
    member = member_of("government", preferred_language="el")
    client.force_login(member)

    page = client.get(workshop.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cocreation:workshop_register", args=[workshop.pk]),
            {"agrees_to_be_named": "on"},
        )

    assert "16:05" in page and not TWELVE_HOUR_CLOCK.search(page)
    body = Notification.objects.get(recipient=member).body
    assert "01/07/2027 16:05" in body and not TWELVE_HOUR_CLOCK.search(body)


def test_the_greek_pdf_says_when_it_was_exported_in_the_24_hour_clock(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory(language="el")

    text = _pdf_text(rendering.plan_pdf_render(plan)[0])

    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", text)
    assert not TWELVE_HOUR_CLOCK.search(text)


def test_portuguese_months_are_in_lower_case():
    with translation.override("pt"):
        assert formats.date_format(date(2027, 7, 1), "DATE_FORMAT") == "1 de julho de 2027"
        assert formats.date_format(AFTERNOON, "DATETIME_FORMAT") == "1 de julho de 2027 às 16:05"
        assert formats.date_format(date(2027, 7, 1), "MONTH_DAY_FORMAT") == "1 de julho"


def test_portuguese_dates_name_the_month_as_inside_a_date():
    # Until locale/pt has the lower-case months, the form used is Django's "alt. month".
    with translation.override("pt"):
        july = translation.pgettext("alt. month", "July")
        assert formats.date_format(date(2027, 7, 1), "DATE_FORMAT") == f"1 de {july} de 2027"
        assert formats.date_format(date(2027, 7, 1), "YEAR_MONTH_FORMAT") == f"{july} de 2027"
