"""The rollups are kept per 产业链 as well as per 片区, so that the cockpit's breakdown by chain
reads them instead of every enterprise's value; ``0010`` rebuilds the rollups already stored
with the new key (in a migration of its own: PostgreSQL creates the new column's index at the
end of this one, which it refuses after rows were written with pending key checks)."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
