"""Seed the demand categories with their time limits (source: data/README.md)."""

from django.db import migrations

# (name, group, time limit in working days, yellow light this many working days before)
CATEGORIES = [
    ("政策咨询", "policy", 3, 1),
    ("用地", "factors", 10, 2),
    ("用电", "factors", 5, 1),
    ("用工", "factors", 10, 2),
    ("融资", "factors", 10, 2),
    ("审批手续", "approval", 5, 1),
    ("基础设施", "infrastructure", 10, 2),
    ("投诉", "complaint", 13, 3),
    ("建议", "suggestion", 13, 3),
    ("其他", "other", 10, 2),
]


def seed(apps, schema_editor):
    DemandCategory = apps.get_model("demands", "DemandCategory")
    for order, (name, group, limit, yellow) in enumerate(CATEGORIES, start=1):
        DemandCategory.objects.get_or_create(
            name=name,
            defaults={"group": group, "time_limit_workdays": limit, "yellow_before_workdays": yellow, "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
