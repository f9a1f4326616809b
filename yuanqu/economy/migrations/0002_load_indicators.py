from django.db import migrations


def load(apps, schema_editor):
    from yuanqu.economy.indicators import load_indicators

    load_indicators(apps.get_model("economy", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("economy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
