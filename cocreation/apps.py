from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    name = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self):
        # Imported here: services reach the models, which are loaded only now.
        from cocreation.services import registrations_regroup  # noqa: PLC0415
        from members.organisation_changes import organisation_change_hook_register  # noqa: PLC0415

        # A member's seats are their stakeholder group's: an approved change of organisation
        # moves their places in workshops to come (members cannot import co-creation).
        organisation_change_hook_register(registrations_regroup)

        # A forum's past meetings come from a spreadsheet through members' import.
        from cocreation.past_meetings import meetings_import_register  # noqa: PLC0415

        meetings_import_register()
