"""The language a family asked in (the page's), so the emails to them are written in it. On SQLite, adding
the column rebuilds the butterfly table, which the quilt capacity triggers of 0002 do not survive: they are
dropped first and made again last, as 0003 does."""

from importlib import import_module

from django.db import migrations, models

review = import_module("memorials.migrations.0003_butterfly_request_review")


class Migration(migrations.Migration):
    dependencies = [
        ("memorials", "0003_butterfly_request_review"),
    ]

    operations = [
        migrations.RunPython(review.drop_sqlite_guard, review.make_sqlite_guard),
        migrations.AddField(
            model_name="butterfly",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Español"), ("fr", "Français")], default="en", max_length=8
            ),
        ),
        migrations.RunPython(review.make_sqlite_guard, review.drop_sqlite_guard),
    ]
