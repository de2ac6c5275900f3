"""What each app holds about a member, for "download my data" and for deleting an account.

Each app that keeps rows about members registers one provider from its AppConfig.ready()
(pretix's data shredders are the model): `export` returns its sections of the download,
`erase` removes or anonymises what it holds when the member deletes their account, or is
None when the app keeps its rows on purpose (the `kept` sentence says why, for
developers and the privacy notice's authors). `expire`, when given, erases what the app
keeps only for a time, about people with or without an account (a guest's name and e-mail
address after the event): the periodic job `core.expire_personal_data` calls it. A lower app
never lists the apps above it: deleting an account cannot forget one, and a test fails for
an app with a foreign key to members that registers nothing.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonalData:
    app_label: str
    export: Callable[..., dict]
    erase: Callable[..., None] | None = None
    kept: str = ""
    expire: Callable[..., int] | None = None


_providers: dict[str, PersonalData] = {}


def personal_data_register(
    *,
    app_label: str,
    export: Callable[..., dict],
    erase: Callable[..., None] | None = None,
    kept: str = "",
    expire: Callable[..., int] | None = None,
) -> None:
    """Register what `app_label` holds on members. `export(member=...)` returns a dict of
    sections; `erase(member=...)` runs when the member deletes their account;
    `expire(now=...)` erases what is past its time and returns how many rows it touched."""
    if erase is None and not kept:
        raise ValueError(f"{app_label}: say why its rows are kept when it erases nothing")
    _providers[app_label] = PersonalData(app_label, export, erase, kept, expire)


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


def personal_data_expire(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: each app erases what it keeps only for a time, each in its own
    transaction (one app's failure does not keep another's data). Returns the rows each
    app touched."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for provider in personal_data_providers():
        if provider.expire is None:
            continue
        with transaction.atomic():
            done[provider.app_label] = provider.expire(now=now)
    if any(done.values()):
        logger.info("Personal data past its time erased: %s", done)
    return done


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
