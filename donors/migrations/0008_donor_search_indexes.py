"""Indexes for the coordinators' donor search on PostgreSQL.

The admin searches by the start of a name or phone (`istartswith`) and a whole email (`iexact`); Django
writes those as UPPER(col) LIKE 'X%' and UPPER(col) = 'X', which plain indexes cannot serve. These
expression indexes (text_pattern_ops, so LIKE prefixes work in any collation) can. SQLite needs none:
at its scale a scan is fine.
"""

from django.db import migrations

COLUMNS = ["first_name", "last_name", "preferred_name", "email", "phone"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS donors_donor_{column}_upper_idx "
            f'ON donors_donor (UPPER("{column}"::text) text_pattern_ops)'
        )


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS donors_donor_{column}_upper_idx")


class Migration(migrations.Migration):
    dependencies = [("donors", "0007_donor_list_indexes")]
    operations = [migrations.RunPython(forward, reverse)]
