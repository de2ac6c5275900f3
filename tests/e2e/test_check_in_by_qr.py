"""A facilitator checks a member in by the QR code of their seat, through the phone's
camera: chromium's fake camera is fed a picture of the member's code (a Y4M video made here
from the PNG the confirmation e-mail carries). A forged code and a cancelled seat's code are
refused; another member is checked in by typing their seat code."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from cocreation import seat_pass
from tests.e2e.conftest import CHROMIUM_FLAGS
from tests.e2e.test_accessibility import AXE_SCRIPT, FAILING_IMPACTS, _describe
from tests.e2e.test_workshop_session import log_in
from tests.factories import RegistrationFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


def y4m_of(png: bytes, path, size=480) -> None:
    """A short still video of `png` on a white square, as chromium's fake camera reads it."""
    code = Image.open(io.BytesIO(png)).convert("L")
    frame = Image.new("L", (size, size), 255)
    side = int(size * 0.8)
    frame.paste(code.resize((side, side), Image.NEAREST), ((size - side) // 2,) * 2)
    luma = frame.tobytes()
    chroma = bytes([128]) * (size * size // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def test_a_facilitator_checks_a_member_in_through_the_camera(playwright, live_server, tmp_path):
    workshop = WorkshopFactory(
        title="Open data",
        starts_at=timezone.now() + timedelta(hours=1),
        check_in_opens_hours_before=24,
    )
    facilitator = member_of("non_government", full_name="João Martins")
    workshop.facilitators.add(facilitator)
    seat = RegistrationFactory(
        workshop=workshop, member=member_of("government", full_name="Olena Kovalenko")
    )
    other = RegistrationFactory(
        workshop=workshop, member=member_of("government", full_name="Ivan Petrenko")
    )
    cancelled = RegistrationFactory(
        workshop=workshop,
        status="cancelled",
        member=member_of("government", full_name="Anna Nowak"),
    )
    video = tmp_path / "code.y4m"
    # The code as the member's phone shows it, pointing at the live server.
    url = f"{live_server.url}/workshops/seat/{seat.seat_token}/"
    y4m_of(seat_pass.qr_png(url), video)
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        headless=True,
        args=[
            *CHROMIUM_FLAGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        page = log_in(browser, live_server, facilitator)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/workshops/{workshop.pk}/check-in/")
        page.get_by_role("button", name="Scan a code").click()
        confirm = page.get_by_role("button", name="Check in Olena Kovalenko (Government)")
        expect(confirm).to_be_visible(timeout=15000)
        confirm.click()
        expect(page.get_by_text("Checked in: Olena Kovalenko (Government) at")).to_be_visible()

        page.get_by_label("Name or seat code").fill(f"{workshop.pk}-ABCDEF:{'A' * 43}")
        expect(page.get_by_text("may be forged or damaged")).to_be_visible()

        page.get_by_label("Name or seat code").fill(cancelled.seat_code)
        expect(
            page.get_by_text("This seat was cancelled: Anna Nowak holds no seat")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Check in Anna Nowak (Government)")).to_have_count(0)

        page.get_by_label("Name or seat code").fill(other.seat_code.lower())
        confirm = page.get_by_role("button", name="Check in Ivan Petrenko (Government)")
        expect(confirm).to_be_visible()
        page.evaluate(AXE_SCRIPT)  # the new controls, with a confirmation showing
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        assert not failing, _describe(failing)
        confirm.click()
        expect(page.get_by_text("Checked in: Ivan Petrenko (Government) at")).to_be_visible()
        assert not errors

        page.get_by_label("Name or seat code").fill("Petrenko")
        expect(page.get_by_text("Ivan Petrenko is already checked in at")).to_be_visible()
    finally:
        browser.close()
