"""Contact.mobile becomes an encrypted text column with its blind index beside it (issue 12);
the rows already there are encrypted by the next migration (kept apart: PostgreSQL refuses
to alter a table in the transaction that updated its rows)."""

import yuanqu.utilities.crypto
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_enterprise_land_area_mu"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="mobile_bidx",
            field=yuanqu.utilities.crypto.BlindIndexField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                kind="mobile",
                max_length=64,
                source="mobile",
            ),
        ),
        migrations.AlterField(
            model_name="contact",
            name="mobile",
            field=yuanqu.utilities.crypto.EncryptedTextField(
                blank=True, max_length=20, verbose_name="手机号"
            ),
        ),
    ]
