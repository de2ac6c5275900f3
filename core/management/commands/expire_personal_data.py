from django.core.management.base import BaseCommand

from core.personal_data import personal_data_expire


class Command(BaseCommand):
    help = (
        "Erase what the portal keeps only for a time (guests' unconfirmed requests, their "
        "names and addresses after the event): the job Celery beat runs every hour, for a "
        "setup without beat (run it from cron)."
    )

    def handle(self, *args, **options):
        done = personal_data_expire()
        for app_label, count in done.items():
            self.stdout.write(f"{app_label}: {count}")
