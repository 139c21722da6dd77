from django.db import migrations


def sync(apps, schema_editor):
    from coverage.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Taggers may add outlets, so that a new outlet's article is imported in one go (issue 11)."""

    dependencies = [("coverage", "0009_import_jobs")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
