"""Numbers as people read them: ``{{ value|number }}`` or ``{{ value|number:2 }}``.

Thousands separators always; whole values without decimals (295 人, not 295.0000); other
values to two decimals unless the caller names the places. Tables use the same function
(``yuanqu.utilities.tables.NumberColumn``), so a figure reads the same on every page.
"""

import decimal

from django import template

register = template.Library()

DEFAULT_PLACES = 2


def number(value, places=None) -> str:
    """``1234567.5`` → ``1,234,567.50``; ``295.0000`` → ``295``; ``None``/``""`` → ``""``.
    Text that is not a number is returned unchanged."""
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None or value == "" else str(value)
    try:
        amount = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError, TypeError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    if places in (None, ""):
        places = 0 if amount == amount.to_integral_value() else DEFAULT_PLACES
    places = int(places)
    quantum = decimal.Decimal(1).scaleb(-places)
    rounded = amount.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return f"{rounded:,.{places}f}"


@register.filter(name="number")
def number_filter(value, places=None):
    return number(value, places)


@register.filter(name="percent")
def percent_filter(fraction):
    """A fraction as a rate with one decimal (REFERENCE §4.8): ``0.0769`` → ``7.7%``."""
    if fraction is None or fraction == "":
        return "—"
    return f"{decimal.Decimal(str(fraction)) * 100:.1f}%"
