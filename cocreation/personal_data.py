from cocreation import selectors, services
from core.personal_data import personal_data_register

personal_data_register(
    app_label="cocreation",
    export=selectors.personal_data_of,
    erase=services.member_data_erase,
)
