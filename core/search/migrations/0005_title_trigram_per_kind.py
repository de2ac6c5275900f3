"""On PostgreSQL only: a trigram GIN index on the titles of each kind's entries (partial:
WHERE kind = '<kind>'), for the titles alike of a misspelt word. The search looks at each
kind apart; through the index on every title, each kind read the trigrams of all (about 10
ms a kind at the 10x benchmark's size, 65 ms a search); through its own, a kind with no
title alike costs a few hundredths of a millisecond. A kind registered later gets its index
in a migration of its own (without one, the index on every title still serves it)."""

from django.db import migrations

KINDS = [
    "forum",
    "workshop",
    "contribution",
    "response",
    "plan",
    "commitment",
    "milestone",
    "document",
    "event",
    "organisation",
]
INDEXES = [
    f"CREATE INDEX IF NOT EXISTS search_entry_trgm_{kind} ON search_searchentry "
    f"USING gin (title gin_trgm_ops) WHERE kind = '{kind}'"
    for kind in KINDS
]
DROP = [f"DROP INDEX IF EXISTS search_entry_trgm_{kind}" for kind in KINDS]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_entry_public")]

    operations = [migrations.RunPython(_run(INDEXES), _run(DROP), elidable=False)]
