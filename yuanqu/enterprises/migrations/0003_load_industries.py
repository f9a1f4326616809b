"""Load GB/T 4754-2017 (all four levels) from enterprises/data/gbt4754_2017.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"


def load(apps, schema_editor):
    Industry = apps.get_model("enterprises", "Industry")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {row["code"]: row for row in rows}

    def section_of(code):
        while by_code[code]["parent"]:
            code = by_code[code]["parent"]
        return code

    objects = []
    for row in rows:
        level = int(row["level"])
        code = row["code"]
        objects.append(
            Industry(
                code=code,
                name=row["name"].strip(),
                level=level,
                parent_id=row["parent"] or None,
                section=section_of(code),
                division=code[:2] if level >= 2 else "",
            )
        )
    # Parents first: the CSV lists each parent before its children.
    Industry.objects.bulk_create(objects, batch_size=500)


def unload(apps, schema_editor):
    apps.get_model("enterprises", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
