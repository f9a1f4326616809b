"""The indicator catalogue (loaded from the CSV shipped in economy/data/) and the unit each
indicator is shown in."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .choices import Unit

DATA = Path(__file__).resolve().parent / "data" / "indicators.csv"


def _rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _indicator(Indicator, row):
    return Indicator(
        code=row["code"],
        name=row["name"],
        unit=row["unit"],
        kind=row["kind"],
        level=row["level"],
        population=row["population"],
        growth_published=row["growth_published"] == "true",
        order=int(row["order"]),
    )


def load_indicators(Indicator) -> int:
    """Fill the (empty) catalogue; takes the model so migrations can pass theirs."""
    if Indicator.objects.exists():
        return 0
    objects = [_indicator(Indicator, row) for row in _rows()]
    Indicator.objects.bulk_create(objects)
    return len(objects)


def add_indicators(Indicator, codes) -> list:
    """Add the shipped indicators ``codes`` that a catalogue in use lacks (a data migration
    brings them to an existing database). An indicator whose code or name is already there
    is left as the zone keeps it; the new ones are returned (for the change log)."""
    wanted = set(codes)
    rows = [row for row in _rows() if row["code"] in wanted]
    missing = wanted - {row["code"] for row in rows}
    if missing:
        raise ValueError(f"not in {DATA.name}: {sorted(missing)}")
    taken = Indicator.objects.filter(code__in=codes) | Indicator.objects.filter(
        name__in=[row["name"] for row in rows]
    )
    codes_taken = set(taken.values_list("code", flat=True))
    names_taken = set(taken.values_list("name", flat=True))
    added = []
    for row in rows:
        if row["code"] not in codes_taken and row["name"] not in names_taken:
            indicator = _indicator(Indicator, row)
            indicator.save()
            added.append(indicator)
    return added


def ensure_indicators(sender=None, **kwargs):
    """post_migrate: reload the catalogue after a flush (transactional tests). A catalogue
    in use is never filled up here: an indicator the zone deleted stays deleted; indicators
    shipped later reach existing databases by their own data migration (``add_indicators``)."""
    from .models import Indicator

    load_indicators(Indicator)


# --- how an indicator's figures are shown -------------------------------------------------


@dataclass(frozen=True)
class DisplayUnit:
    """The unit an indicator is shown in on every page and export (storage is unchanged):
    ``factor`` stored units make one shown unit; totals get ``digits`` decimals, one
    enterprise's figure ``detail_digits`` (so 864万元 reads 0.0864亿元, not 0.09)."""

    label: str
    factor: Decimal = Decimal(1)
    digits: int = 2
    detail_digits: int = 2

    def exact(self, stored) -> Decimal | None:
        """The stored value in this unit, unrounded (Excel cells keep every digit)."""
        return None if stored is None else Decimal(stored) / self.factor

    def value(self, stored, detail=False) -> Decimal | None:
        """The stored value in this unit, rounded (None stays None)."""
        if stored is None:
            return None
        places = self.detail_digits if detail else self.digits
        return round(Decimal(stored) / self.factor, places)

    def number(self, stored, detail=False) -> float | None:
        """``value`` as a JSON number (charts)."""
        shown = self.value(stored, detail)
        return None if shown is None else float(shown)

    def text(self, stored, detail=False) -> str:
        """“1,234.57” with thousands separators; “—” when there is no value."""
        shown = self.value(stored, detail)
        if shown is None:
            return "—"
        places = self.detail_digits if detail else self.digits
        return f"{shown:,.{places}f}"


WAN_PER_YI = Decimal(10000)
# Money stored in 万元 reads in 亿元 at the zone's scale; counts of people, enterprises and
# items (个, 件, 项) are whole numbers; any other unit is shown as stored, to 2 decimals.
BY_UNIT = {
    Unit.WAN_YUAN: DisplayUnit("亿元", WAN_PER_YI, digits=2, detail_digits=4),
    Unit.PERSON: DisplayUnit(Unit.PERSON.label, digits=0, detail_digits=0),
    Unit.ENTERPRISES: DisplayUnit(Unit.ENTERPRISES.label, digits=0, detail_digits=0),
    Unit.ITEMS: DisplayUnit(Unit.ITEMS.label, digits=0, detail_digits=0),
    Unit.PIECES: DisplayUnit(Unit.PIECES.label, digits=0, detail_digits=0),
    Unit.ENTRIES: DisplayUnit(Unit.ENTRIES.label, digits=0, detail_digits=0),
}


def display_unit(indicator) -> DisplayUnit:
    """The one rule for how an indicator is shown: the cockpit, the summary, the indicator
    page and their exports all ask here."""
    shown = BY_UNIT.get(indicator.unit)
    if shown is not None:
        return shown
    return DisplayUnit(str(Unit(indicator.unit).label) if indicator.unit in Unit.values else indicator.unit)
