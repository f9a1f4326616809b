"""Contact.mobile encrypted at rest, with its blind index for exact search (issue 12):
the column becomes text holding ``v1:<algorithm>:…`` and the rows already there are
encrypted with the field key (reversible: the reverse writes them back in clear)."""

import yuanqu.utilities.crypto
from django.db import migrations

from yuanqu.utilities.crypto import decrypt_column, encrypt_column


def encrypt(apps, schema_editor):
    encrypt_column(schema_editor.connection, apps.get_model("enterprises", "contact"), "mobile")


def decrypt(apps, schema_editor):
    decrypt_column(schema_editor.connection, apps.get_model("enterprises", "contact"), "mobile")


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
        migrations.RunPython(encrypt, decrypt),
    ]
