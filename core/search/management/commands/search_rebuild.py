from django.core.management.base import BaseCommand

from core.search.registry import searchable_kinds
from core.search.services import search_rebuild


class Command(BaseCommand):
    help = "Index again everything the search finds (core/search/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=[s.kind for s in searchable_kinds()],
            help="Only this kind (may be repeated).",
        )

    def handle(self, *args, kind=None, **options):
        counts = search_rebuild(kinds=kind)
        for name, count in counts.items():
            self.stdout.write(f"  {name:<20} {count}")
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} entries."))
