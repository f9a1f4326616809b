"""The rollups already stored, rebuilt with their 产业链 (``0009``); until then every cell
would read as 未归链."""

from django.db import migrations


def rebuild_rollups(apps, schema_editor):
    """Rebuild the stored rollups with their chains (nothing to do on an empty value table)."""
    from yuanqu.economy.rollups import rebuild

    EnterpriseMonthlyValue = apps.get_model("economy", "EnterpriseMonthlyValue")
    if EnterpriseMonthlyValue.objects.exists():
        rebuild()


class Migration(migrations.Migration):
    dependencies = [("economy", "0009_rollup_by_industry_chain")]

    operations = [migrations.RunPython(rebuild_rollups, migrations.RunPython.noop)]
