import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.errors import ForumError
from members import imports
from members.models import Forum, MemberImport, User


class Command(BaseCommand):
    help = (
        "Import organisations and people from a CSV or XLSX file into a forum, as its "
        "secretariat does in the back office (members/imports.py), with the columns the "
        "file's headers suggest: check every row, print the counts and, with --confirm, "
        "write them and send the invitations. Prints each step's time (to stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("forum", help="the forum's short name (slug)")
        parser.add_argument("file", type=Path)
        parser.add_argument("--by", required=True, help="e-mail address of its secretariat")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)
        parser.add_argument("--confirm", action="store_true", help="write, after the check")

    def handle(self, *args, **options):
        settings.BACKGROUND_THREADS = False  # the worker's steps run here, one after the other
        try:
            forum = Forum.objects.get(slug=options["forum"])
            by = User.objects.get(email__iexact=options["by"])
        except (Forum.DoesNotExist, User.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        started = time.perf_counter()
        try:
            with options["file"].open("rb") as handle:
                member_import = imports.member_import_upload(
                    forum=forum,
                    file=File(handle, name=options["file"].name),
                    by=by,
                    default_language=options["language"],
                )
            self._step("read the header", started)
            started = time.perf_counter()
            with transaction.atomic():
                imports.member_import_map(
                    member_import=member_import,
                    mapping=member_import.mapping,
                    default_language=options["language"],
                    by=by,
                )
            member_import.refresh_from_db()
            self._step("checked every row", started)
            self._counts(member_import)
            if options["confirm"] and member_import.state == MemberImport.State.PREVIEWED:
                started = time.perf_counter()
                with transaction.atomic():
                    imports.member_import_confirm(member_import=member_import, by=by)
                member_import.refresh_from_db()
                self._step("wrote and invited", started)
                self._counts(member_import)
        except ForumError as error:
            raise CommandError(str(error)) from None

    def _step(self, what: str, started: float) -> None:
        self.stderr.write(f"{what}: {time.perf_counter() - started:.1f} s")

    def _counts(self, member_import: MemberImport) -> None:
        self.stderr.write(
            f"import {member_import.pk} {member_import.state}: {member_import.rows_total} rows, "
            f"{member_import.rows_new} new, {member_import.rows_existing} existing, "
            f"{member_import.rows_error} errors; {member_import.organisations_created} "
            f"organisations created, {member_import.people_invited} people invited"
        )
