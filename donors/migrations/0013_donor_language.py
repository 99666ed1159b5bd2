import importlib

from django.db import migrations, models

# SQLite adds the donor's column by rebuilding donors_donor, which the research-milk triggers refer to: lift the
# guard for the rebuild and put it back straight after (as 0004 does). PostgreSQL needs neither.
_version = importlib.import_module("donors.migrations.0004_donor_version")

LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0012_admin_sort_indexes_and_milk_months"),
    ]

    operations = [
        migrations.RunPython(_version.lift_research_guard, _version.restore_research_guard),
        migrations.AddField(
            model_name="donor",
            name="language",
            field=models.CharField(
                choices=LANGUAGES,
                default="en",
                help_text="The language the donor reads: the questionnaire, their page and emails use it.",
                max_length=8,
            ),
        ),
        migrations.RunPython(_version.restore_research_guard, _version.lift_research_guard),
        migrations.AddField(
            model_name="questionnaire",
            name="language",
            field=models.CharField(
                blank=True,
                choices=LANGUAGES,
                default="",
                editable=False,
                help_text="The language the donor answered in (recorded when the answers are sent).",
                max_length=8,
            ),
        ),
    ]
