"""Counts of related rows for list pages, as correlated subqueries.

`annotate(Count("registrations"))` joins every registration of every row and groups them
before ORDER BY ... LIMIT, so a page of 20 workshops costs as much as the whole table, and the
paginator's COUNT carries the join too. A correlated subquery is evaluated only for the rows
the page shows (PostgreSQL postpones it past the LIMIT) and drops out of the paginator's count.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def related_count(model, link: str, **conditions) -> Coalesce:
    """How many `model` rows point at the outer row through `link` and match `conditions`."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")}, **conditions)
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)
