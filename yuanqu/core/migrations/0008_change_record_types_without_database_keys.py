"""The change record's two content types lose their database foreign keys and their
single-column indexes.

The trail depends on no other table (its user is a plain id already); the types stay
protected by the application (``on_delete=PROTECT``), and their lookups use the
(type, object id) indexes, which lead with them. What it saves: two key checks per record at
commit and two index entries per record, for every record an import writes in bulk.

The database change is written out rather than left to Django: on SQLite Django would rebuild
the table, which would drop the append-only triggers with it; there the foreign-key clauses
(part of the table's definition) stay and only the indexes go."""

from django.db import migrations, models


TABLE = "core_objectchange"
KEYS = {
    "content_type_id": (
        "core_objectchange_content_type_id_b3a6f4f6_fk_django_co",
        "core_objectchange_content_type_id_b3a6f4f6",
    ),
    "related_type_id": (
        "core_objectchange_related_type_id_2a4d502b_fk_django_co",
        "core_objectchange_related_type_id_2a4d502b",
    ),
}


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for constraint, index in KEYS.values():
            if schema_editor.connection.vendor == "postgresql":
                cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT IF EXISTS "{constraint}"')
            cursor.execute(f'DROP INDEX IF EXISTS "{index}"')


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for column, (constraint, index) in KEYS.items():
            cursor.execute(f'CREATE INDEX "{index}" ON "{TABLE}" ("{column}")')
            if schema_editor.connection.vendor == "postgresql":
                cursor.execute(
                    f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{constraint}" FOREIGN KEY ("{column}") '
                    'REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED'
                )


def field(**options):
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        on_delete=models.deletion.PROTECT,
        related_name="+",
        to="contenttypes.contenttype",
        **options,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_personal_data_audit_kinds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="objectchange", name="content_type", field=field(verbose_name="对象类型")
                ),
                migrations.AlterField(
                    model_name="objectchange",
                    name="related_type",
                    field=field(blank=True, null=True, verbose_name="所属对象类型"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
