"""The value table's enterprise and indicator keys lose their single-column indexes: the unique
constraint (enterprise, indicator, period, version) and ``emv_indicator_period_ytd``
(indicator, period, …) lead with them, and an import writes every index once per value.

Only the two indexes are dropped (the foreign keys stay as they are): the state change is the
one ``makemigrations`` would make, the database change a plain DROP INDEX — Django's own
would rebuild the table on SQLite and re-validate both keys on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "economy_enterprisemonthlyvalue"
INDEXES = {
    "enterprise_id": "economy_enterprisemonthlyvalue_enterprise_id_a6d24021",
    "indicator_id": "economy_enterprisemonthlyvalue_indicator_id_19dfa3e8",
}


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0007_remove_annual_target"),
        ("enterprises", "0004_enterprise_land_area_mu"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="enterprisemonthlyvalue",
                    name="enterprise",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="monthly_values",
                        to="enterprises.enterprise",
                        verbose_name="企业",
                    ),
                ),
                migrations.AlterField(
                    model_name="enterprisemonthlyvalue",
                    name="indicator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="economy.indicator",
                        verbose_name="指标",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{TABLE}" ("{column}")',
                )
                for column, name in INDEXES.items()
            ],
        ),
    ]
