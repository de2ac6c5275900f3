from core.personal_data import personal_data_register
from events import selectors, services

personal_data_register(
    app_label="events",
    export=selectors.personal_data_of,
    erase=services.member_data_erase,
    expire=services.guest_data_expire,
)
