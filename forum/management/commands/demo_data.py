from django.core.management.base import BaseCommand
from django.db import transaction

from actionplans.demo import demo_actionplans_load, demo_actionplans_remove
from cocreation.demo import demo_cocreation_load, demo_cocreation_remove
from core.search.services import search_rebuild
from core.search.signals import index_paused
from events.demo import demo_events_load, demo_events_remove
from forum.demo_notifications import demo_notifications_load, demo_notifications_silence
from health.demo import demo_health_load, demo_health_remove
from members.demo import demo_members_load, demo_members_remove


class Command(BaseCommand):
    help = (
        "Fill the portal with a realistic demo forum and print the demo logins. "
        "Running it again changes nothing; --reset removes the demo data and builds it anew."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Remove the demo data first, then rebuild it."
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        # Every save below would index its row after the commit; the index is built once,
        # as a whole, instead.
        with index_paused():
            if reset:
                # Apps that depend on members are removed first, as the later issues add them.
                demo_health_remove()
                demo_actionplans_remove()
                demo_cocreation_remove()
                demo_events_remove()
                demo_members_remove()
                self.stdout.write("Removed the demo data.")
            logins = demo_members_load()
            demo_notifications_load()
            demo_cocreation_load()
            demo_actionplans_load()
            demo_health_load()
            demo_events_load()
            demo_notifications_silence()
        search_rebuild()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write("Demo logins (e-mail / password / role):")
        for login in logins:
            self.stdout.write(f"  {login.email:<36} {login.password:<14} {login.role}")
