"""Targets of the target sheet (目标责任书) for the economy's tests."""

from decimal import Decimal

from yuanqu.figures.models import Unit
from yuanqu.targets.models import Target


def sheet_target(indicator, year, value, unit=None, *, kind="total", zone=None, name=None, **fields):
    """A target of ``indicator``: a total in ``unit`` (the indicator's own by default), or with
    ``kind="growth"`` a growth in % (``value`` 9 for 增长9%)."""
    if unit is None:
        unit = "%" if kind == "growth" else str(indicator.get_unit_display())
    default = indicator.name + ("增速" if kind == "growth" else "")
    return Target.objects.create(
        year=year,
        name=name or default,
        figure=f"economy.{indicator.code}",
        kind=kind,
        value=Decimal(str(value)),
        unit=Unit.objects.get(name=unit),
        zone=zone,
        **fields,
    )
