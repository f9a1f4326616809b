"""The rollups are kept per 产业链 as well as per 片区, so that the cockpit's breakdown by chain
reads them instead of every enterprise's value; the rollups already stored are rebuilt with
the new key (until then every cell would read as 未归链)."""

import django.db.models.deletion
from django.db import migrations, models


def rebuild_rollups(apps, schema_editor):
    """Rebuild the stored rollups with their chains (nothing to do on an empty value table)."""
    from yuanqu.economy.rollups import rebuild

    EnterpriseMonthlyValue = apps.get_model("economy", "EnterpriseMonthlyValue")
    if EnterpriseMonthlyValue.objects.exists():
        rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0008_emv_keys_indexed_by_composites"),
        ("enterprises", "0006_encrypt_existing_mobiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorrollup",
            name="industry_chain",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="enterprises.industrychain",
            ),
        ),
        migrations.RunPython(rebuild_rollups, migrations.RunPython.noop),
    ]
