"""A GIN index on the French text-search vector of testimonies, on PostgreSQL only.

The indexed expression is exactly the one `search._search_postgresql` filters on
(`SearchVector("search_document", config="french")`), so the planner can use it. SQLite has no
such index type; there the migration does nothing.
"""

from django.db import migrations

INDEX = "testimonies_search_french_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON testimonies_testimony USING gin "
    "(to_tsvector('french'::regconfig, COALESCE(search_document, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0001_initial")]

    operations = [migrations.RunPython(index_create, index_drop, elidable=False)]
