"""Loading the indicator catalogue from the CSV shipped in economy/data/."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "indicators.csv"


def load_indicators(Indicator) -> int:
    """Fill the (empty) catalogue; takes the model so migrations can pass theirs."""
    if Indicator.objects.exists():
        return 0
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    objects = [
        Indicator(
            code=row["code"],
            name=row["name"],
            unit=row["unit"],
            kind=row["kind"],
            level=row["level"],
            population=row["population"],
            growth_published=row["growth_published"] == "true",
            order=int(row["order"]),
        )
        for row in rows
    ]
    Indicator.objects.bulk_create(objects)
    return len(objects)


def ensure_indicators(sender=None, **kwargs):
    """post_migrate: reload the catalogue after a flush (transactional tests)."""
    from .models import Indicator

    load_indicators(Indicator)
