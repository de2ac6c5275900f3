from core.audit import selectors
from core.personal_data import personal_data_register

personal_data_register(
    app_label="audit",
    export=selectors.personal_data_of,
    kept=(
        "The audit trail keeps who changed what and when, for accountability; the words the "
        "secretariat wrote about the person are removed with the account (members)."
    ),
)
