"""Load GB/T 4754-2017 (all four levels) from enterprises/data/gbt4754_2017.csv."""

from django.db import migrations

from yuanqu.enterprises.industries import load_industries


def load(apps, schema_editor):
    load_industries(apps.get_model("enterprises", "Industry"))


def unload(apps, schema_editor):
    apps.get_model("enterprises", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
