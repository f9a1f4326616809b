"""Converting a value between units: inside a dimension by the units' factors; between 人民币
and 美元 only through the year's exchange rate; never across dimensions."""

from decimal import Decimal

from .models import Dimension, ExchangeRate, Unit

# (name, dimension, factor to the dimension's base unit): the units the plans of a zone use.
# 1 亩 = 10000/15 平方米 (市制), 1 公顷 = 10000 平方米.
UNITS = [
    ("元", Dimension.CNY, "1"),
    ("万元", Dimension.CNY, "10000"),
    ("亿元", Dimension.CNY, "100000000"),
    ("美元", Dimension.USD, "1"),
    ("万美元", Dimension.USD, "10000"),
    ("亿美元", Dimension.USD, "100000000"),
    ("平方米", Dimension.AREA, "1"),
    ("万平方米", Dimension.AREA, "10000"),
    ("亩", Dimension.AREA, "666.6666666667"),
    ("公顷", Dimension.AREA, "10000"),
    ("吨", Dimension.MASS, "1"),
    ("万吨", Dimension.MASS, "10000"),
    ("千瓦时", Dimension.ENERGY, "1"),
    ("万千瓦时", Dimension.ENERGY, "10000"),
    ("亿千瓦时", Dimension.ENERGY, "100000000"),
    ("人", Dimension.PEOPLE, "1"),
    ("万人", Dimension.PEOPLE, "10000"),
    ("家", Dimension.ENTERPRISES, "1"),
    ("个", Dimension.PROJECTS, "1"),
    ("件", Dimension.ITEMS, "1"),
    ("项", Dimension.TASKS, "1"),
    ("%", Dimension.RATIO, "0.01"),
]
CURRENCIES = {Dimension.CNY, Dimension.USD}
PLACES = Decimal("0.000001")


class UnitError(ValueError):
    """A conversion that cannot be made; the message says why, in Chinese."""


def ensure_units(sender=None, **kwargs):
    """Create the units the catalogue and the target sheet need (after migrate); a unit an
    administrator changed is left as it is."""
    for order, (name, dimension, factor) in enumerate(UNITS):
        Unit.objects.get_or_create(
            name=name, defaults={"dimension": dimension, "factor": Decimal(factor), "order": order}
        )


def unit(name: str) -> Unit:
    try:
        return Unit.objects.get(name=name.strip())
    except Unit.DoesNotExist:
        raise UnitError(f"计量单位“{name}”不存在") from None


def convertible(source: str, target: str) -> bool:
    """Whether a value in ``source`` can be given in ``target`` (currencies given a rate)."""
    a, b = unit(source), unit(target)
    return a.dimension == b.dimension or {a.dimension, b.dimension} == CURRENCIES


def convert(value, source: str, target: str, year: int | None = None) -> Decimal:
    """``value`` given in ``source`` expressed in ``target``, to six decimals."""
    if value is None:
        return None
    value = Decimal(str(value))
    a, b = unit(source), unit(target)
    if a.pk == b.pk:
        return value
    base = value * a.factor
    if a.dimension != b.dimension:
        if {a.dimension, b.dimension} != CURRENCIES:
            raise UnitError(
                f"“{a.name}”（{a.get_dimension_display()}）不能换算为“{b.name}”（{b.get_dimension_display()}）"
            )
        rate = ExchangeRate.objects.filter(year=year).first() if year else None
        if rate is None:
            raise UnitError(
                f"{year or ''}{'年' if year else ''}美元兑人民币汇率未录入，“{a.name}”不能换算为“{b.name}”"
            )
        base = base * rate.usd_cny if a.dimension == Dimension.USD else base / rate.usd_cny
    return (base / b.factor).quantize(PLACES)
