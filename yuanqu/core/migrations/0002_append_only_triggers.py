"""Make the audit tables append-only in the database itself: UPDATE and DELETE fail."""

from django.db import migrations

from yuanqu.core.dbguard import create_triggers, drop_triggers


def forwards(apps, schema_editor):
    create_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
