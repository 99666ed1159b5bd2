import importlib

from django.db import migrations, models


# SQLite adds this column by rebuilding donors_donor, which the research-milk triggers refer to: lift the
# guard for the rebuild and put it back straight after (as in 0004 and 0013). PostgreSQL needs neither.
def _guard():
    return importlib.import_module("donors.migrations.0002_research_milk_guard")


def lift_research_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _guard().reverse(apps, schema_editor)


def restore_research_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _guard().forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0013_donor_language"),
    ]

    operations = [
        migrations.RunPython(lift_research_guard, restore_research_guard),
        migrations.AddField(
            model_name="donor",
            name="decline_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("health", "Health history or a medical condition"),
                    ("medicines", "Medicines, herbs or supplements"),
                    ("lifestyle", "Tobacco, alcohol or drugs"),
                    ("travel", "Travel or time lived abroad"),
                    ("bloodwork", "A confirmed bloodwork result"),
                    ("other", "Another reason"),
                ],
                default="",
                editable=False,
                max_length=20,
            ),
        ),
        migrations.RunPython(restore_research_guard, lift_research_guard),
    ]
