from actionplans import selectors
from core.personal_data import personal_data_register

personal_data_register(
    app_label="actionplans",
    export=selectors.personal_data_of,
    kept=(
        "Comments on commitments, versions, sign-offs, progress reports, civil society's "
        "assessments and documents are "
        'part of the plan\'s public record: they stay, signed "former member".'
    ),
)
