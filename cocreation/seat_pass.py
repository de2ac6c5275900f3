"""A seat's pass: the QR code a confirmed member shows at the door, and the 6-character
seat code written under it for typing.

The QR code holds the address of the seat's page (`cocreation:seat_pass`), whose last part
is a token signed with the site's secret and a salt of its own: it names the workshop and
the seat's code, never the member. Anyone can read a token, nobody can make one: a forged
or damaged one fails its signature. A facilitator scanning it with the check-in page's
camera, or with a phone's own camera app while logged in, is asked to confirm the check-in;
the member opening the same address sees their pass.
"""

import io
import re
import secrets
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.core import signing
from django.urls import reverse

from core.site import absolute_url

# No 0/O, 1/I/L: nothing that reads as another character when typed from a phone's screen.
SEAT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SEAT_CODE_LENGTH = 6
_SALT = "cocreation.seat-pass"
_TOKEN = re.compile(r"^(?P<workshop>\d{1,12})-(?P<code>[A-Z0-9]{6}):[A-Za-z0-9_-]{20,100}$")


def new_seat_code() -> str:
    """A random seat code: 31⁶ (about 887 million) of them, unique per workshop (a
    database constraint; registering tries again on the rare clash)."""
    return "".join(secrets.choice(SEAT_CODE_ALPHABET) for _ in range(SEAT_CODE_LENGTH))


def seat_code_normalise(text: str) -> str:
    """What someone typed, as a seat code is stored: capitals, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(text or "")).upper()


def is_seat_code(text: str) -> bool:
    code = seat_code_normalise(text)
    return len(code) == SEAT_CODE_LENGTH and all(c in SEAT_CODE_ALPHABET for c in code)


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, algorithm="sha256")


def seat_token(*, workshop_id: int, seat_code: str) -> str:
    """The signed token of a seat, e.g. "12-K7P3QX:<signature>"."""
    return _signer().sign(f"{workshop_id}-{seat_code}")


def registration_token(registration) -> str:
    return seat_token(workshop_id=registration.workshop_id, seat_code=registration.seat_code)


class BadSeatToken(ValueError):
    """Not a token the portal signed: forged, damaged or something else altogether."""


def seat_token_read(text: str) -> tuple[int, str]:
    """(workshop id, seat code) of a token, or of the address of a seat's page as a camera
    reads it from the QR code. Raises BadSeatToken for anything else."""
    text = str(text or "").strip()[:500]
    if "://" in text or text.startswith("/"):
        path = unquote(urlsplit(text).path).rstrip("/")
        text = path.rsplit("/", 1)[-1]
    if not _TOKEN.match(text):
        raise BadSeatToken(text)
    try:
        value = _signer().unsign(text)
    except signing.BadSignature as error:
        raise BadSeatToken(text) from error
    workshop, code = value.split("-", 1)
    return int(workshop), code


def seat_pass_path(registration) -> str:
    return reverse("cocreation:seat_pass", args=[registration_token(registration)])


def seat_pass_url(registration) -> str:
    """The address a seat's QR code holds (and its calendar entry links to)."""
    return absolute_url(seat_pass_path(registration))


def seat_pass_url_of(*, workshop_id: int, seat_code: str) -> str:
    token = seat_token(workshop_id=workshop_id, seat_code=seat_code)
    return absolute_url(reverse("cocreation:seat_pass", args=[token]))


def _qr(data: str, **options) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, **options)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str) -> str:
    """`data` as a QR code in SVG, drawn as one path (no fixed size: the page sizes it)."""
    svg = _qr(data, image_factory=qrcode.image.svg.SvgPathImage).make_image()
    text = svg.to_string(encoding="unicode")
    return re.sub(r' (width|height)="[^"]*mm"', "", text, count=2)


def qr_png(data: str) -> bytes:
    """`data` as a QR code in PNG (for e-mail programs, which show SVG badly or not at all)."""
    image = _qr(data, box_size=8).make_image()
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
