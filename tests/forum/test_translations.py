"""The catalogues under locale/ are complete, compiled and up to date, and nothing meant for
people escapes translation.

When one of these fails, the message says which string and what to do. The usual fix:
mark the string ({% translate %}, {% blocktranslate %}, gettext), run `make messages`,
translate the new entries in locale/<language>/LC_MESSAGES/django.po for every language,
and run `make messages` again (it compiles the .mo files, which are committed).
"""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from forum.management.commands.catalogues import (
    EXTRACT_OPTIONS,
    catalogue_path,
    translated_languages,
)
from tests.forum.untranslated import (
    python_files,
    template_files,
    untranslated_in_python,
    untranslated_in_template,
)

LANGUAGES = translated_languages()
FIX = (
    "Translate it in {po} (no '#, fuzzy' flag, every plural form, the same placeholders as "
    "the English), then run `make messages` to compile."
)
# %(name)s, %s, %d and str.format's {name}: what the code fills in, which a translation must keep.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdfr]|\{\w*\}")


def _catalogue(language: str):
    with catalogue_path(language).open("rb") as po:
        return read_po(po)


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def _where(message) -> str:
    return ", ".join(sorted({location for location, _line in message.locations})) or "?"


def _django_plural_count(language: str) -> int:
    django_po = Path(__import__("django").__file__).parent / "conf" / "locale" / language
    with (django_po / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po).num_plurals


def test_the_portal_translates_every_language_but_english():
    assert LANGUAGES == ["el", "uk", "sr", "pt", "pl"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_with_its_placeholders_and_plural_forms(language):
    catalogue = _catalogue(language)
    po = catalogue_path(language).relative_to(settings.BASE_DIR)
    assert catalogue.num_plurals == _django_plural_count(language), (
        f"{po}: the Plural-Forms header must be Django's own for {language!r} "
        f"({_django_plural_count(language)} forms); copy it from Django's catalogue."
    )
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        label = f"msgid {ids[0]!r}" + (f" (context {message.context!r})" if message.context else "")
        if message.fuzzy:
            problems.append(f"{label} in {_where(message)}: marked fuzzy (a guess to check)")
        if isinstance(message.id, tuple) and len(strings) != catalogue.num_plurals:
            problems.append(
                f"{label}: {len(strings)} plural forms, {language} needs {catalogue.num_plurals}"
            )
        if any(not string.strip() for string in strings):
            problems.append(f"{label} in {_where(message)}: not translated")
            continue
        expected = _placeholders(ids[-1])
        for string in strings:
            if _placeholders(string) not in (expected, _placeholders(ids[0])):
                problems.append(
                    f"{label}: the translation {string!r} has placeholders "
                    f"{_placeholders(string)}, the English {expected}"
                )
    assert not problems, (
        f"{po}: {len(problems)} problem(s):\n  " + "\n  ".join(problems) + "\n" + FIX.format(po=po)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_file(language):
    """The .mo files are committed (a fresh clone needs no gettext): they must say what the
    .po files say."""
    mo = catalogue_path(language, "mo")
    assert mo.exists(), f"{mo} is missing: run `make messages` and commit it."
    with mo.open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    expected = {}
    for message in _catalogue(language):
        if not message.id or message.fuzzy:
            continue
        prefix = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, tuple):
            for index, string in enumerate(message.string):
                expected[(prefix + message.id[0], index)] = string
        else:
            expected[prefix + message.id] = message.string
    compiled_entries = {key: value for key, value in translations._catalog.items() if key != ""}
    stale = sorted(
        str(key)
        for key in expected.keys() | compiled_entries.keys()
        if expected.get(key) != compiled_entries.get(key)
    )
    assert not stale, (
        f"{mo.relative_to(settings.BASE_DIR)} is stale for {len(stale)} entries "
        f"(first: {stale[:3]}): run `make messages` (or `manage.py catalogues --compile-only`) "
        "and commit the .mo file."
    )


@pytest.mark.skipif(
    not shutil.which("xgettext"),
    reason="needs GNU gettext's xgettext to extract strings (apt-get install gettext)",
)
def test_the_catalogues_hold_every_string_of_the_source_and_no_other(
    tmp_path, settings, monkeypatch
):
    """Extract the strings as `make messages` does, into a copy of the source, and compare."""
    source = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".*",
            "locale",
            "tests",
            "benchmarks",
            "staticfiles",
            "media",
            "static",
            "*.sqlite3*",
            "__pycache__",
            "*.egg-info",
            "node_modules",
            "test-results",
        ),
    )
    settings.LOCALE_PATHS = [source / "locale"]
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["el"], verbosity=0, **EXTRACT_OPTIONS)
    with (source / "locale" / "el" / "LC_MESSAGES" / "django.po").open("rb") as po:
        extracted = {(message.context, message.id) for message in read_po(po) if message.id}
    for language in LANGUAGES:
        in_catalogue = {(m.context, m.id) for m in _catalogue(language) if m.id}
        missing = sorted(extracted - in_catalogue, key=str)
        unused = sorted(in_catalogue - extracted, key=str)
        assert not missing and not unused, (
            f"locale/{language}/LC_MESSAGES/django.po is not up to date with the source:\n"
            + "".join(f"  missing: {key!r}\n" for key in missing[:30])
            + "".join(f"  no longer used: {key!r}\n" for key in unused[:30])
            + "Run `make messages`, translate the new entries in every language, "
            "run `make messages` again and commit locale/."
        )


def test_templates_mark_every_text_for_translation():
    findings = [finding for path in template_files() for finding in untranslated_in_template(path)]
    assert not findings, (
        "Text people read is not marked for translation:\n  "
        + "\n  ".join(str(finding) for finding in findings)
        + '\nWrap it in {% translate "…" %} or '
        "{% blocktranslate trimmed %}…{% endblocktranslate %} (load i18n), then run "
        "`make messages` and translate it. If it really is not a word (a symbol, a brand), "
        "add it to ALLOWED_TEXT in tests/forum/untranslated.py."
    )


def test_python_marks_every_text_for_people_for_translation():
    findings = [finding for path in python_files() for finding in untranslated_in_python(path)]
    assert not findings, (
        "Text people read is given as a plain string:\n  "
        + "\n  ".join(str(finding) for finding in findings)
        + "\nUse gettext_lazy as _ (labels, choices, model fields) or gettext (messages, "
        "errors), with %(name)s placeholders, then run `make messages` and translate it."
    )


def test_the_finders_catch_what_they_look_for(tmp_path):
    """A guard on the guards: the scanners see an unmarked text node, attribute, message and
    label, and accept marked ones."""
    template = tmp_path / "probe.html"
    python = tmp_path / "probe.py"
    template.write_text(
        '{% load i18n %}<p>{% translate "Fine" %}</p>\n<p title="Hello there">Plain words</p>\n'
        '{% blocktranslate %}Fine too{% endblocktranslate %}<button aria-label="Close">×</button>'
    )
    python.write_text(
        "from django.contrib import messages\n"
        "def view(request):\n"
        '    messages.success(request, "Saved")\n'
        '    messages.info(request, _("Fine"))\n'
        "class Form:\n"
        '    name = forms.CharField(label="Name")\n'
    )
    in_template = [(f.where, f.text) for f in untranslated_in_template(template)]
    in_python = [(f.where, f.text) for f in untranslated_in_python(python)]
    assert in_template == [
        ("attribute title=", "Hello there"),
        ("text", "Plain words"),
        ("attribute aria-label=", "Close"),
    ]
    assert in_python == [("messages.success(...)", "Saved"), ("CharField(label=...)", "Name")]
