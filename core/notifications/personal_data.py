from core.notifications import selectors, services
from core.personal_data import personal_data_register

personal_data_register(
    app_label="notifications",
    export=selectors.personal_data_of,
    erase=services.notifications_erase,
)
