"""The admin statement list at a million rows: an index for its ordering, trigram indexes for its search.

The trigram (pg_trgm) GIN indexes exist only on PostgreSQL; on SQLite these steps do nothing.
They index UPPER(column) because that is what an `icontains` lookup compares on PostgreSQL
(coverage.tagging_admin.search_statements).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("statement_text_trgm_idx", "coverage_statement", "text"),
    ("statement_target_trgm_idx", "coverage_statement", "target"),
    ("source_name_trgm_idx", "coverage_source", "name"),
    ("source_aliases_trgm_idx", "coverage_source", "aliases"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} USING gin (UPPER({quote(column)}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0013_claims"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["tagged_at", "id"], name="statement_tagged_at_idx"),
        ),
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
