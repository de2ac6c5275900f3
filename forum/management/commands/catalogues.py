"""manage.py catalogues: bring the translation catalogues up to date (`make messages`).

1. Extract: Django's makemessages writes every string marked for translation (Python,
   templates, e-mail templates) into locale/<language>/LC_MESSAGES/django.po for each of the
   portal's languages but English, keeping what is translated and dropping what the code no
   longer uses. This step needs GNU gettext (xgettext, msgmerge): apt-get install gettext.
2. Compile: each django.po into the django.mo Django reads, with GNU msgfmt when present,
   else with Babel's pure-Python compiler (pip install babel; in the dev extra). The .mo files
   are committed, so a fresh clone serves translated pages with neither tool; the test suite
   fails when a .mo no longer matches its .po.
3. Copy the European Portuguese catalogues that allauth and django-countries ship as pt_PT to
   locale/vendor/<package>/pt/, since the portal's language is "pt" (see settings.LOCALE_PATHS).

--compile-only skips step 1 (no gettext needed).
"""

import importlib
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# What makemessages reads: everything but the tests, the benchmarks and generated files.
EXTRACT_OPTIONS = {
    "ignore_patterns": ["tests/*", "benchmarks/*", "staticfiles/*", "media/*", "node_modules/*"],
    "no_obsolete": True,
    # File names without line numbers: fewer conflicts when branches add strings.
    "add_location": "file",
}
VENDOR_PACKAGES = {"allauth": "allauth", "django_countries": "django_countries"}


def translated_languages() -> list[str]:
    """The languages with a catalogue: all but the source language, English."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def catalogue_path(language: str, suffix: str = "po") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"django.{suffix}"


def extract(languages: list[str], *, verbosity: int = 1) -> None:
    if not shutil.which("xgettext"):
        raise CommandError(
            "Extracting strings needs GNU gettext (xgettext): apt-get install gettext "
            "(brew install gettext on macOS). Compiling alone works without it: "
            "manage.py catalogues --compile-only"
        )
    previous = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        call_command("makemessages", locale=languages, verbosity=verbosity, **EXTRACT_OPTIONS)
    finally:
        os.chdir(previous)


def compile_catalogue(po: Path) -> Path:
    """Compile one django.po into the django.mo beside it; fuzzy entries are left out."""
    mo = po.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603
        return mo
    try:
        from babel.messages import mofile, pofile  # noqa: PLC0415 -- Babel is a dev dependency, only needed without msgfmt
    except ImportError:
        raise CommandError(
            "Compiling needs GNU msgfmt (apt-get install gettext) or Babel (pip install babel)."
        ) from None
    with po.open("rb") as source:
        catalog = pofile.read_po(source)
    with mo.open("wb") as target:
        mofile.write_mo(target, catalog, use_fuzzy=False)
    return mo


def copy_vendor_catalogues() -> list[Path]:
    copied = []
    for directory, module in VENDOR_PACKAGES.items():
        package_dir = Path(importlib.import_module(module).__file__).parent
        source = package_dir / "locale" / "pt_PT" / "LC_MESSAGES" / "django.mo"
        if not source.exists():
            continue
        target = LOCALE_DIR / "vendor" / directory / "pt" / "LC_MESSAGES" / "django.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


class Command(BaseCommand):
    help = "Update the translation catalogues under locale/ and compile them (make messages)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--compile-only",
            action="store_true",
            help="Only compile the .po files into .mo files (needs no GNU gettext).",
        )

    def handle(self, *args, compile_only=False, verbosity=1, **options):
        languages = translated_languages()
        if not compile_only:
            extract(languages, verbosity=verbosity)
        for language in languages:
            po = catalogue_path(language)
            if not po.exists():
                raise CommandError(f"{po} is missing: run manage.py catalogues (without options)")
            mo = compile_catalogue(po)
            self.stdout.write(f"compiled {mo.relative_to(settings.BASE_DIR)}")
        for path in copy_vendor_catalogues():
            self.stdout.write(f"copied {path.relative_to(settings.BASE_DIR)}")
