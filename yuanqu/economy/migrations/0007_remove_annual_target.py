# The annual targets moved to the target sheet (targets 0003 copies them first).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0006_plan_indicators_and_units"),
        ("targets", "0003_from_economy_annual_targets"),
    ]

    operations = [migrations.DeleteModel(name="AnnualTarget")]
