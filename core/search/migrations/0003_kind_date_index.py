"""On PostgreSQL only: each kind's entries, the most recent first (the order in which the
search looks at a kind's matches and stops after the first CAP of them:
core/search/selectors.py). SQLite refuses NULLS LAST in an index, and its search reads
every entry anyway."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_entry_kind_date ON search_searchentry "
    "(kind, date DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS search_entry_kind_date"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
