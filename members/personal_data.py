from core.personal_data import personal_data_register
from members import imports, selectors, services


def _erase(*, member) -> None:
    email = member.email  # before the account's erasure replaces it
    services.member_account_erase(member=member)
    imports.import_rows_erase(email=email)


def _expire(*, now=None) -> int:
    return services.invitations_expire(now=now) + imports.member_imports_expire(now=now)


personal_data_register(
    app_label="members",
    export=selectors.personal_data_of,
    erase=_erase,
    # Invitations never accepted (people without an account) are forgotten after a while, and
    # so are the spreadsheets imported (their files and rows).
    expire=_expire,
)
