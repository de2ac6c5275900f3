"""What a file uploaded by a person must be: an accepted type, within a size, and what its
name says it is (its first bytes, for the types that have a signature). The apps that take
files (the repository's documents, the minutes of past meetings) ask `upload_refusal`."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DOCUMENT_EXTENSIONS = {
    ".pdf",
    ".odt",
    ".ods",
    ".odp",
    ".docx",
    ".xlsx",
    ".pptx",
    ".csv",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
}
# What the file must start with, for the types that have a signature.
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}


def upload_refusal(upload) -> str:
    """Why `upload` (an uploaded file) is refused as a document, for the person; "" when it
    is accepted. The limit is REPOSITORY_MAX_UPLOAD_MB."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_EXTENSIONS:
        return _("Files of type %(suffix)s are not accepted. Accepted: %(accepted)s.") % {
            "suffix": suffix or "?",
            "accepted": ", ".join(sorted(DOCUMENT_EXTENSIONS)),
        }
    limit = settings.REPOSITORY_MAX_UPLOAD_MB
    if upload.size > limit * 1024 * 1024:
        return _("The file is larger than %(limit)d MB.") % {"limit": limit}
    signatures = DOCUMENT_SIGNATURES.get(suffix)
    if signatures:
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(signatures):
            return _("The file's content is not a %(suffix)s file.") % {"suffix": suffix}
    return ""
