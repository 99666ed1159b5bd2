"""Website requests wait for review (to review -> requested, or declined with a note to the family), and the
family says how they want the keepsake. On SQLite, altering the butterfly table rebuilds it, which the quilt
capacity triggers of 0002 do not survive: they are dropped first and made again last, as 0002 asks."""

from importlib import import_module

import django.db.models.deletion
import memorials.validators
from django.conf import settings
from django.db import migrations, models


guard = import_module("memorials.migrations.0002_quilt_capacity_guard")


def drop_sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        guard.reverse(apps, schema_editor)


def make_sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        guard.forward(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('memorials', '0002_quilt_capacity_guard'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_guard, make_sqlite_guard),
        migrations.AddField(
            model_name='butterfly',
            name='decline_note',
            field=models.TextField(blank=True, default='', editable=False, validators=[memorials.validators.validate_no_markup], verbose_name='note to the family'),
        ),
        migrations.AddField(
            model_name='butterfly',
            name='keepsake_wish',
            field=models.CharField(blank=True, choices=[('', 'Not said'), ('mail', 'Mail it'), ('collect', 'They will collect it')], default='', max_length=10, verbose_name='keepsake wanted how'),
        ),
        migrations.AddField(
            model_name='butterfly',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='butterfly',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='butterfly',
            name='status',
            field=models.CharField(choices=[('to_review', 'To review'), ('requested', 'Requested'), ('sewing', 'Being sewn'), ('on_quilt', 'On a quilt'), ('declined', 'Declined')], default='requested', editable=False, max_length=10),
        ),
        migrations.AddConstraint(
            model_name='butterfly',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'declined'), _negated=True), models.Q(models.Q(('decline_note', ''), _negated=True), ('reviewed_at__isnull', False)), _connector='OR'), name='memorials_butterfly_declined_has_note', violation_error_message='A declined request keeps the note the family was sent, and when.'),
        ),
        migrations.RunPython(make_sqlite_guard, drop_sqlite_guard),
    ]
