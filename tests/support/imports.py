"""An import taken through its steps by its services, for the tests of every content
(members.imports: organisations and people; co-creation's past meetings): uploaded,
columns matched as the upload guessed them, checked and, when asked, confirmed, with the
worker's steps run at the commit (`capture`: pytest-django's
django_capture_on_commit_callbacks)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from members import imports


def import_previewed(forum, by, data: bytes, capture, *, name: str, content: str = "members"):
    member_import = imports.member_import_upload(
        forum=forum,
        file=SimpleUploadedFile(name, data),
        by=by,
        default_language="el",
        content=content,
    )
    with capture(execute=True):
        imports.member_import_map(
            member_import=member_import,
            mapping=member_import.mapping,
            default_language="el",
            by=by,
        )
    member_import.refresh_from_db()
    return member_import


def import_confirmed(member_import, by, capture):
    with capture(execute=True):
        imports.member_import_confirm(member_import=member_import, by=by)
    member_import.refresh_from_db()
    return member_import
