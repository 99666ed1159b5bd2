"""Create the database cache table (used when CACHE_URL is dbcache://, the default) as part of migrate.

Done here rather than as a separate `createcachetable` step, so a fresh database is complete after one
`migrate`, before anything (a post_migrate handler, the first request) touches the cache.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("milkbank", "0001_role_groups")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
