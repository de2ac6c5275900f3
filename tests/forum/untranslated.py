"""Finders of text meant for people that is not marked for translation.

templates: every text node, and the attributes people read (title, alt, aria-label,
placeholder, the value of a button), outside {% translate %} / {% blocktranslate %}.
Python: the places where code hands a text to people (messages, form and model labels, help
texts, choices, validation errors, domain errors) given as a plain string literal.

Used by tests/forum/test_translations.py; each finding says where, what and how to fix it.
"""

import ast
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

BASE_DIR = Path(__file__).resolve().parents[2]

# Text that is not for translation: symbols, brand names, technical words.
# Keep this list short; say why beside each entry.
ALLOWED_TEXT = {
    "·",  # separator
    "–",  # range dash
    "—",
    "×",
    "|",
    "/",
    ":",
    "OGP",  # the Open Government Partnership's abbreviation, the same in every language
    "iCal",  # the name of the calendar format
    ".ics",
}
HUMAN_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description", "label"}
MARK = "\x00"  # stands for a variable or a tag in the text handed to the HTML parser
LETTERS = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    where: str  # "text", or the attribute's name, or the Python construct

    def __str__(self):
        return f"{self.path}:{self.line}: {self.where} {self.text!r}"


def _shown(path: Path) -> str:
    return str(path.relative_to(BASE_DIR)) if path.is_relative_to(BASE_DIR) else str(path)


def _needs_translation(text: str) -> bool:
    text = " ".join(text.replace(MARK, " ").split())
    if not text or text in ALLOWED_TEXT:
        return False
    return bool(LETTERS.search(text))


def _template_without_translated_parts(source: str) -> list[tuple[str, int]]:
    """The template's text as (piece, line) with every tag, variable and translated block
    replaced by MARK, so that what is left is what reaches people untranslated."""
    pieces: list[tuple[str, int]] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if skip_until:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append((token.contents, token.lineno))
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans"}:
                skip_until = "end" + name
            elif name == "comment":
                skip_until = "endcomment"
        if token.token_type != TokenType.COMMENT:
            pieces.append((MARK, token.lineno))
    return pieces


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, int]] = []  # (where, text, offset line)
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            human = name in HUMAN_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and attributes.get("type") in {"submit", "button", "reset"}
            )
            if human and _needs_translation(value):
                self.found.append((f"attribute {name}=", value, self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _needs_translation(data):
            leading = data[: len(data) - len(data.lstrip())]
            line = self.getpos()[0] + leading.count("\n")
            self.found.append(("text", " ".join(data.replace(MARK, " ").split()), line))


def untranslated_in_template(path: Path) -> list[Finding]:
    source = path.read_text(encoding="utf-8")
    pieces = _template_without_translated_parts(source)
    relative = _shown(path)
    if path.suffix == ".txt":  # plain text (e-mails): every letter outside a tag counts
        return [
            Finding(relative, line, " ".join(text.split()), "text")
            for text, line in pieces
            if _needs_translation(text)
        ]
    # The parser counts lines in the joined text; lines[k - 1] is the template's line of
    # the joined text's line k.
    joined, lines = "", [pieces[0][1] if pieces else 1]
    for text, line in pieces:
        lines.extend(line + i for i in range(1, text.count("\n") + 1))
        joined += text
    parser = _HTMLText()
    parser.feed(joined)
    parser.close()
    findings = []
    for where, text, parsed_line in parser.found:
        findings.append(Finding(relative, lines[min(parsed_line, len(lines)) - 1], text, where))
    return findings


def template_files() -> list[Path]:
    return sorted(
        path
        for path in (BASE_DIR / "templates").rglob("*")
        if path.suffix in {".html", ".txt"} and path.is_file()
    )


# --- Python ------------------------------------------------------------------------------

# Keyword arguments whose value people read.
HUMAN_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "placeholder",
    "title",
}
# Calls whose first argument (or, for messages.*, second) people read.
HUMAN_CALLS = {"ValidationError", "PermissionDenied"}
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error", "add_message"}
TRANSLATING_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}
# Code that never shows its strings to people.
PYTHON_SKIP_PARTS = {"migrations", "management", "tests", "settings.py", "env.py"}
MODEL_FIELD_CALL = re.compile(r"Field$")
# Errors for developers and logs, not for people; any other *Error(...) (a domain error such
# as RegistrationError) carries a message that a view shows.
DEVELOPER_ERRORS = {
    "ValueError",
    "TypeError",
    "KeyError",
    "ImproperlyConfigured",
    "RuntimeError",
    "AttributeError",
    "LookupError",
}


def _is_plain_text(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _needs_translation(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and _needs_translation(part.value)
            for part in node.values
        )
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _text(node) -> str:
    return node.value if isinstance(node, ast.Constant) else ast.unparse(node)


class _PythonText(ast.NodeVisitor):
    def __init__(self):
        self.found: list[tuple[int, str, str]] = []
        self._in_choices = 0

    def _flag(self, node, where):
        self.found.append((node.lineno, where, _text(node)))

    def visit_Call(self, node: ast.Call):
        name = _call_name(node)
        if name in TRANSLATING_FUNCTIONS:
            return  # what is inside is marked
        for keyword in node.keywords:
            if keyword.arg in HUMAN_KEYWORDS and _is_plain_text(keyword.value):
                self._flag(keyword.value, f"{name}({keyword.arg}=...)")
        is_messages = (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "messages"
            and name in MESSAGE_FUNCTIONS
        )
        if is_messages and len(node.args) >= 2 and _is_plain_text(node.args[-1]):
            self._flag(node.args[-1], f"messages.{name}(...)")
        human_error = name in HUMAN_CALLS or (
            name.endswith("Error") and name not in DEVELOPER_ERRORS
        )
        if human_error and node.args and _is_plain_text(node.args[0]):
            self._flag(node.args[0], f"{name}(...)")
        if name == "add_error" and len(node.args) >= 2 and _is_plain_text(node.args[1]):
            self._flag(node.args[1], "add_error(...)")
        # models.CharField("title") names the field for people (forms, admin); a relation's
        # first argument is the related model.
        relation = name in {"ForeignKey", "OneToOneField", "ManyToManyField"}
        if (
            MODEL_FIELD_CALL.search(name)
            and not relation
            and node.args
            and _is_plain_text(node.args[0])
        ):
            self._flag(node.args[0], f"{name}(verbose name)")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef):
        bases = {ast.unparse(base) for base in node.bases}
        is_choices = any(base.endswith("Choices") for base in bases)
        for statement in node.body:
            if not isinstance(statement, ast.Assign):
                continue
            targets = {getattr(target, "id", "") for target in statement.targets}
            names = targets & {"verbose_name", "verbose_name_plural"}
            if node.name == "Meta" and names and _is_plain_text(statement.value):
                self._flag(statement.value, f"Meta.{names.pop()}")
            if is_choices and isinstance(statement.value, ast.Tuple):
                label = statement.value.elts[-1]
                if len(statement.value.elts) > 1 and _is_plain_text(label):
                    self._flag(label, f"{node.name} choice label")
        self.generic_visit(node)


def python_files() -> list[Path]:
    roots = ["forum", "members", "cocreation", "actionplans", "events"]
    return sorted(
        path
        for root in roots
        for path in (BASE_DIR / root).rglob("*.py")
        if not PYTHON_SKIP_PARTS & set(path.relative_to(BASE_DIR).parts)
        and path.name not in PYTHON_SKIP_PARTS
        and path.name != "demo.py"  # demo content is written by "members", in English
    )


def untranslated_in_python(path: Path) -> list[Finding]:
    visitor = _PythonText()
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    relative = _shown(path)
    return [Finding(relative, line, text, where) for line, where, text in visitor.found]
