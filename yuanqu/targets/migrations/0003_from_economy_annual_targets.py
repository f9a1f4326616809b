"""The economy module's annual targets become lines of the target sheet.

Each economy.AnnualTarget gives up to two targets of the same year, 片区, responsible
department and phasing, pointing at the figure ``economy.<indicator code>``:

* a target value → a total target (总量/个数) in the indicator's unit;
* a target growth (a fraction, 0.09) → a growth target of 9 %, unit %; it is compared as
  growth, never turned into a value.

Names are the indicator's name; the growth target is “<name>增速” when the same target also
had a value. A second target of the same year, 片区 and name (an old per-department target)
gets the department's name in brackets, so the sheet's uniqueness holds.

The reverse is a no-op: the targets stay on the sheet (economy's own migration removing
AnnualTarget cannot be reversed into data either).
"""

from decimal import Decimal

from django.db import migrations


def target_unit(Unit, name):
    """The catalogue's unit of that name, created as the catalogue seeds it (after migrate)
    when the units have not been seeded yet."""
    from yuanqu.figures.units import UNITS

    found = Unit.objects.filter(name=name).first()
    if found is not None:
        return found
    for order, (unit_name, dimension, factor) in enumerate(UNITS):
        if unit_name == name:
            return Unit.objects.create(name=name, dimension=dimension, factor=Decimal(factor), order=order)
    raise ValueError(f"计量单位“{name}”不在单位目录中，无法转入目标责任书")


def unique_name(taken, year, zone_id, name, department):
    """``name``, or with the department (then a number) when the year and 片区 have it."""
    candidates = [name]
    if department is not None:
        candidates.append(f"{name}（{department.name}）")
    candidates += [f"{candidates[-1]}{n}" for n in range(2, 100)]
    for candidate in candidates:
        if (year, zone_id, candidate) not in taken:
            taken.add((year, zone_id, candidate))
            return candidate
    raise ValueError(f"{year}年“{name}”的目标过多，无法生成不重复的名称")


def forwards(apps, schema_editor):
    AnnualTarget = apps.get_model("economy", "AnnualTarget")
    Indicator = apps.get_model("economy", "Indicator")
    Target = apps.get_model("targets", "Target")
    Unit = apps.get_model("figures", "Unit")

    labels = dict(Indicator._meta.get_field("unit").choices)  # "wan_yuan" → "万元"
    taken = set(Target.objects.values_list("year", "zone_id", "name"))
    # Targets without a department first: they keep the plain names.
    old = AnnualTarget.objects.select_related("indicator", "department")
    for annual in sorted(old, key=lambda t: (t.year, t.department_id is not None, t.indicator.order, t.pk)):
        indicator = annual.indicator
        common = {
            "year": annual.year,
            "figure": f"economy.{indicator.code}",
            "zone_id": annual.zone_id,
            "department_id": annual.department_id,
            "phasing": annual.monthly_phasing,
            "order": indicator.order,
            "comments": "由原经济运行年度目标转入",
        }
        both = annual.target_value is not None and annual.target_growth is not None
        if annual.target_value is not None:
            Target.objects.create(
                **common,
                name=unique_name(taken, annual.year, annual.zone_id, indicator.name, annual.department),
                kind="total",
                value=annual.target_value,
                unit=target_unit(Unit, str(labels.get(indicator.unit, indicator.unit))),
            )
        if annual.target_growth is not None:
            name = f"{indicator.name}增速" if both else indicator.name
            Target.objects.create(
                **common,
                name=unique_name(taken, annual.year, annual.zone_id, name, annual.department),
                kind="growth",
                value=annual.target_growth * 100,
                unit=target_unit(Unit, "%"),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0002_synonyms"),
        ("economy", "0005_covering_index_for_the_cockpit"),
        ("figures", "0002_peer_values"),
    ]

    # Reverse: nothing to undo (the targets stay on the sheet).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
