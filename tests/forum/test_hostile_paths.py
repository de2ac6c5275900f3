"""Every address of the portal, asked with input no person types: never a server error.

The addresses are read from the URL configuration itself (the API's router, the back office
and allauth's included), so a page added later is crawled without a line here. Each
argument of an address is replaced in turn by a value of each hostile class below, the
others keeping a real record's value; every such address is asked with GET and POST,
anonymously, as an approved member and as the forum's secretariat. Each page, with real
arguments, is then asked with hostile query strings (NUL and control characters, huge and
negative numbers, dates at the edges of the calendar, overlong text in every filter's
parameter). Last, every form a page shows (to a member, or to the secretariat) is sent
with overlong text in each text field in turn, and with NUL bytes and control characters in
all of them.

The figures (requests per class) are printed (`pytest -s`) and kept in the assertion's
message. On PostgreSQL a NUL byte that reaches a query, or text longer than its column,
is a server error; on SQLite a huge number that reaches one is: run it on both.
"""

import re
from collections import Counter
from urllib.parse import quote, unquote

import pytest
from django import forms
from django.core.management import call_command
from django.forms import BaseForm
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from actionplans.models import ActionPlan, Commitment, Document, Milestone, PlanExport
from cocreation.models import (
    CoCreationProcess,
    OutreachAttachment,
    Registration,
    Theme,
    Workshop,
)
from core.notifications.models import Notification
from events.models import Campaign, Event
from members.models import Forum, ForumSeat, Organisation, User

pytestmark = pytest.mark.django_db

# The classes of bad input, each a value as it is written in an address (percent-encoded).
HOSTILE = {
    "non-numeric": "abc",
    "negative": "-1",
    "huge": "99999999999999999999",
    "non-ASCII": quote("é中ї"),
    "NUL": "%00",
    "control characters": "a%01%1B%7Fb",
    "overlong": "a" * 3000,
}

# Every parameter a page or an API list reads from its query string.
QUERY_PARAMETERS = [
    *("page", "page_size", "q", "forum", "scope", "show", "table", "state", "process", "plan"),
    *("plan_slug", "theme", "start", "end", "when", "status", "kind", "country", "city"),
    *("format", "online", "campaign", "ordering", "language", "sector", "stakeholder_group"),
    *("lead_agency", "disposition", "answered", "active_on", "seats_for_me", "due_after"),
    *("due_before", "starts_after", "starts_before", "ends_after", "ends_before"),
    *("posted_after", "posted_before", "older", "newer", "queue", "next"),
]

HOSTILE_QUERIES = {
    "NUL": "%00",
    "control characters": "a%01%1B%7Fb",
    "huge": "99999999999999999999",
    "negative": "-1",
    "calendar's last day": "9999-12-31",
    "calendar's first day": "0001-01-01",
    "overlong": "a" * 3000,
}
SCOPES = ["process:%00", "plan:%00", "process:" + "a" * 3000, "%00:%00"]

# The admin is the site administrator's alone: the others are sent to its log-in page
# before any argument is read, so asking each of its 200 addresses tells nothing more.
SKIPPED_PREFIXES = ("admin/",)


def _route_template(pattern) -> tuple[str, list[str]] | None:
    """An address pattern as a template ("workshops/{pk}/register/") and its arguments'
    names; None for a regular expression with more in it than named groups."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), names
    assert isinstance(pattern, RegexPattern)
    regex = str(pattern._regex).lstrip("^").rstrip("$")
    names = re.findall(r"\(\?P<(\w+)>", regex)
    template = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"{\1}", regex)
    template = template.replace("\\.", ".").replace("/?", "/")
    if re.search(r"[\\^$*+?()\[\]|]", template):
        return None
    return template, names


def _addresses(resolvers=None, prefix="", names=()):
    """(template, argument names) of every address, recursively."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        part = _route_template(entry.pattern)
        if part is None:
            continue
        template, part_names = part
        if isinstance(entry, URLResolver):
            yield from _addresses(entry.url_patterns, prefix + template, (*names, *part_names))
        else:
            assert isinstance(entry, URLPattern)
            yield prefix + template, [*names, *part_names]


def _valid_values(forum, plan) -> dict:
    """A real record's value for an argument, chosen by the word before it in the address
    ("workshops/{pk}" is a workshop's id)."""
    first = {
        "workshops": Workshop,
        "events": Event,
        "organisations": Organisation,
        "seats": ForumSeat,
        "milestones": Milestone,
        "processes": CoCreationProcess,
        "themes": Theme,
        "campaigns": Campaign,
        "exports": PlanExport,
        "repository": Document,
        "queue": User,
        "registrations": Registration,
        "outreach": OutreachAttachment,
        "notifications": Notification,
        "kit": OutreachAttachment,
        "commitments": Commitment,
    }
    ids = {
        word: str(getattr(model.objects.order_by("pk").first(), "pk", 1))
        for word, model in first.items()
    }
    ids["commitments"] = str(plan.commitments.order_by("number").first().number)
    return {"ids": ids, "forum": forum.slug, "plan": plan.slug}


def _fill(template: str, names: list[str], values: dict, hostile: tuple[str, str] | None):
    """The address with each argument's real value, one of them replaced by `hostile`
    (name, value)."""
    address = template
    for name in names:
        if hostile is not None and name == hostile[0]:
            value = hostile[1]
        elif name == "forum_slug":
            value = values["forum"]
        elif name in ("plan_slug",) or (name == "slug" and not address.startswith("forums/{slug")):
            value = values["plan"]
        elif name == "slug":
            value = values["forum"]
        elif name == "format":
            value = "json"
        elif name == "token":
            value = "unknown-token"
        else:
            before = address.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
            value = values["ids"].get(before, "1")
        address = address.replace("{" + name + "}", value, 1)
    return "/" + address


@pytest.fixture
def demo():
    call_command("demo_data", verbosity=0)
    forum = Forum.objects.default()
    plan = ActionPlan.objects.filter(forum=forum, commitments__isnull=False).distinct().first()
    return forum, plan


def _clients(forum):
    member = Client(raise_request_exception=False)
    member.force_login(User.objects.get(email="member@demo.example.org"))
    secretariat = Client(raise_request_exception=False)
    secretariat.force_login(User.objects.get(email="secretariat@demo.example.org"))
    return {
        "anonymous": Client(raise_request_exception=False),
        "member": member,
        "secretariat": secretariat,
    }


def _ask(client, method, address, tried, failures, kind):
    response = getattr(client, method)(address)
    tried[kind] += 1
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {address[:160]} ({kind}): {response.status_code}")
    return response


def test_hostile_arguments_in_every_address_are_never_a_server_error(demo, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    forum, plan = demo
    values = _valid_values(forum, plan)
    clients = _clients(forum)
    tried, failures = Counter(), []
    addresses = [(t, n) for t, n in _addresses() if n and not t.startswith(SKIPPED_PREFIXES)]
    assert len(addresses) > 100, "the URL configuration was not read"
    for template, names in addresses:
        users = ["secretariat"] if template.startswith("manage/") else list(clients)
        for name in names:
            for kind, value in HOSTILE.items():
                address = _fill(template, names, values, (name, value))
                try:
                    resolve(unquote(address))
                except Resolver404:
                    # No view is reached, whoever asks (the address's own converter refused
                    # the value): one request shows the 404 holds.
                    _ask(clients["anonymous"], "get", address, tried, failures, kind)
                    continue
                for who in users:
                    for method in ("get", "post"):
                        _ask(clients[who], method, address, tried, failures, kind)
    figures = ", ".join(f"{kind}: {n}" for kind, n in sorted(tried.items()))
    print(f"\nhostile arguments in {len(addresses)} addresses, requests per class: {figures}")
    assert not failures, f"{len(failures)} server errors ({figures}):\n" + "\n".join(failures)


def test_hostile_query_strings_on_every_page_are_never_a_server_error(demo, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    forum, plan = demo
    values = _valid_values(forum, plan)
    clients = _clients(forum)
    tried, failures = Counter(), []
    addresses = [
        _fill(t, n, values, None)
        for t, n in _addresses()
        if not t.startswith(SKIPPED_PREFIXES) and "logout" not in t and "delete" not in t
    ]
    for address in addresses:
        # The pages as a person reads them (GET), by whoever may read the most of them: the
        # forum's secretariat in the back office, a member elsewhere (a refusal is fine too).
        client = clients["secretariat" if address.startswith("/manage/") else "member"]
        for kind, value in HOSTILE_QUERIES.items():
            query = "&".join(f"{name}={value}" for name in QUERY_PARAMETERS)
            _ask(client, "get", f"{address}?{query}", tried, failures, kind)
        if "participation" in address:
            for scope in SCOPES:
                _ask(client, "get", f"{address}?scope={scope}", tried, failures, "scope")
    figures = ", ".join(f"{kind}: {n}" for kind, n in sorted(tried.items()))
    print(f"\nhostile query strings on {len(addresses)} pages, requests per class: {figures}")
    assert not failures, f"{len(failures)} server errors ({figures}):\n" + "\n".join(failures)


HOSTILE_TEXT = {"NUL": "a\x00b", "control characters": "a\x01\x1b\x7fb"}


def _forms_of(response) -> list:
    """The forms a page rendered (one of each class)."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    found = {}
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, BaseForm):
                found.setdefault(type(value), value)
    return list(found.values())


def _hostile_data(form, text: str, only: str | None = None) -> dict:
    """The form's text fields filled with `text` (only the field `only`, if named, the
    others with a short valid text), the other fields with their initial values or a
    valid one (a choice, a date), so that the text reaches as far as it can."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.CharField):
            hostile = only is None or name == only
            if isinstance(field, forms.URLField):  # a link, to reach the model
                data[key] = "https://example.org/" + (text[:1000] if hostile else "a")
            elif isinstance(field, forms.EmailField):
                data[key] = text if hostile else "member@demo.example.org"
            else:
                data[key] = text if hostile else "Text"
        elif isinstance(field, forms.FileField):
            continue
        else:
            value = form[name].value()
            if value in (None, "", [], ()):
                value = _a_valid_value(field)
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[key] = value
    return data


def _a_valid_value(field):
    """A value the field accepts, where the form gives none."""
    if isinstance(field, forms.DateTimeField):
        return "2027-05-03T10:00"
    if isinstance(field, forms.DateField):
        return "2027-05-03"
    if isinstance(field, forms.IntegerField):
        return "10"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        choices = [str(value) for value, _label in field.choices if str(value) != ""]
        if not choices:
            return ""
        multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        return choices[:1] if multiple else choices[0]
    return ""


def test_hostile_text_in_every_form_is_a_form_error(demo, settings):
    """Every page with a form, its text fields filled with overlong text, a NUL byte or
    control characters: a form error (or the action done), never a server error. On
    PostgreSQL overlong text beyond a model's maximum would be one; SQLite does not check."""
    forum, plan = demo
    values = _valid_values(forum, plan)
    clients = _clients(forum)
    tried, failures, pages = Counter(), [], 0
    addresses = [
        _fill(t, n, values, None)
        for t, n in _addresses()
        if not t.startswith(SKIPPED_PREFIXES)
        and not any(word in t for word in ("logout", "delete", "api/", "password"))
    ]
    for address, who in [(a, w) for a in addresses for w in ("member", "secretariat")]:
        if address.startswith("/manage/") and who == "member":
            continue
        client = clients[who]
        page = client.get(address)
        if page.status_code != 200 or page.context is None:
            continue
        found = _forms_of(page)
        pages += bool(found)
        for form in found:
            # Overlong text one field at a time (a field that refuses it would hide the
            # others); NUL bytes and control characters in every field at once.
            texts = [(n, f) for n, f in form.fields.items() if isinstance(f, forms.CharField)]
            asks = [("overlong", "a" * 3000, name) for name, _field in texts]
            asks += [(kind, text, None) for kind, text in HOSTILE_TEXT.items()]
            for kind, text, only in asks:
                response = client.post(address, _hostile_data(form, text, only))
                tried[kind] += 1
                if response.status_code >= 500:
                    failures.append(
                        f"POST {address} ({who}, {type(form).__name__}, {only or ''} {kind})"
                    )
    figures = ", ".join(f"{kind}: {n}" for kind, n in sorted(tried.items()))
    print(f"\nhostile text in the forms of {pages} pages, requests per class: {figures}")
    assert pages > 20
    assert not failures, f"{len(failures)} server errors ({figures}):\n" + "\n".join(failures)
