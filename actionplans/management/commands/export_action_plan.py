import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actionplans import rendering
from actionplans.models import ActionPlan
from core.responses import csv_text


class Command(BaseCommand):
    help = "Export an action plan (published content only) as PDF, CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The plan's slug, as in its address.")
        parser.add_argument(
            "--output", "-o", required=True, help="The file to write; - for stdout."
        )
        parser.add_argument("--format", choices=["pdf", "csv", "json"], default="pdf")
        parser.add_argument(
            "--table",
            choices=["commitments", "milestones", "responses"],
            default="commitments",
            help="Which table a CSV holds.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Build the PDF again even if a current one exists."
        )

    def handle(self, slug, output, format, table, force, **options):
        try:
            plan = ActionPlan.objects.get(slug=slug)
        except ActionPlan.DoesNotExist:
            known = ", ".join(ActionPlan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No action plan '{slug}'. Known plans: {known}.") from None
        if format == "pdf":
            self.stderr.write(f"Rendering {plan.title}…")
            data = rendering.pdf_bytes_for(plan, force=force)
        elif format == "json":
            data = json.dumps(rendering.plan_json(plan), ensure_ascii=False, indent=2).encode()
        else:
            columns, records = {
                "commitments": (rendering.COMMITMENT_COLUMNS, rendering.commitment_records),
                "milestones": (rendering.MILESTONE_COLUMNS, rendering.milestone_records),
                "responses": (rendering.REGISTER_COLUMNS, rendering.register_records),
            }[table]
            data = csv_text(columns, records(plan)).encode()
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(output).write_bytes(data)
            self.stderr.write(self.style.SUCCESS(f"Wrote {len(data):,} bytes to {output}."))
