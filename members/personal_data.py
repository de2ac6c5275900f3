from core.personal_data import personal_data_register
from members import selectors, services

personal_data_register(
    app_label="members",
    export=selectors.personal_data_of,
    erase=services.member_account_erase,
    # Invitations never accepted (people without an account) are forgotten after a while.
    expire=services.invitations_expire,
)
