"""The users' mobiles already stored in clear, encrypted with the field key and indexed
(``utilities.crypto.encrypt_column``); the reverse writes them back in clear."""

from django.db import migrations

from yuanqu.utilities.crypto import decrypt_column, encrypt_column


def encrypt(apps, schema_editor):
    encrypt_column(schema_editor.connection, apps.get_model("users", "user"), "mobile")


def decrypt(apps, schema_editor):
    decrypt_column(schema_editor.connection, apps.get_model("users", "user"), "mobile")


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0005_encrypt_mobile"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
