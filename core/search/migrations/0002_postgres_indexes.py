"""On PostgreSQL only: the extensions the search uses (unaccent for Ukrainian, Polish and
texts of no language; pg_trgm for misspelt words), a GIN index on the search vector and a
trigram GIN index on the titles. On SQLite nothing is done: the search matches the folded
texts there (core/search/selectors.py)."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_entry_title_trgm ON search_searchentry "
    "USING gin (title gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "DROP INDEX IF EXISTS search_entry_title_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        CreateExtension("unaccent"),
        CreateExtension("pg_trgm"),
        migrations.RunPython(_run(INDEXES), _run(DROP), elidable=False),
    ]
