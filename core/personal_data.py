"""What each app holds about a member, for "download my data" and for deleting an account.

Each app that keeps rows about members registers one provider from its AppConfig.ready()
(pretix's data shredders are the model): `export` returns its sections of the download,
`erase` removes or anonymises what it holds when the member deletes their account, or is
None when the app keeps its rows on purpose (the `kept` sentence says why, for
developers and the privacy notice's authors). A lower app
never lists the apps above it: deleting an account cannot forget one, and a test fails for
an app with a foreign key to members that registers nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction


@dataclass(frozen=True)
class PersonalData:
    app_label: str
    export: Callable[..., dict]
    erase: Callable[..., None] | None = None
    kept: str = ""


_providers: dict[str, PersonalData] = {}


def personal_data_register(
    *,
    app_label: str,
    export: Callable[..., dict],
    erase: Callable[..., None] | None = None,
    kept: str = "",
) -> None:
    """Register what `app_label` holds on members. `export(member=...)` returns a dict of
    sections; `erase(member=...)` runs when the member deletes their account."""
    if erase is None and not kept:
        raise ValueError(f"{app_label}: say why its rows are kept when it erases nothing")
    _providers[app_label] = PersonalData(app_label, export, erase, kept)


def personal_data_providers() -> list[PersonalData]:
    """The providers from the ground floor up (the order of INSTALLED_APPS)."""
    order = [config.label for config in apps.get_app_configs()]
    return sorted(_providers.values(), key=lambda provider: order.index(provider.app_label))


def personal_data_export(*, member) -> dict:
    """Everything the portal holds on `member`, each app's sections in layer order."""
    data: dict = {}
    for provider in personal_data_providers():
        data.update(provider.export(member=member))
    return data


def personal_data_erase(*, member) -> None:
    """Each app erases what it holds, the top floor first (its places and seats are
    cancelled, which promotes and tells the next people waiting), the account itself last.
    Each app's erase runs in its own transaction: a seat freed stays freed."""
    for provider in reversed(personal_data_providers()):
        if provider.erase is not None:
            with transaction.atomic():
                provider.erase(member=member)


def rows(queryset, *fields) -> list[dict]:
    """`fields` of each row, as text (dates in ISO 8601), for the download."""
    return [
        {
            name: (value.isoformat() if hasattr(value, "isoformat") else str(value))
            if value is not None
            else None
            for name, value in row.items()
        }
        for row in queryset.values(*fields)
    ]
