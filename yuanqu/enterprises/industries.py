"""Loading GB/T 4754-2017 from the CSV shipped in enterprises/data/."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"


def load_industries(Industry) -> int:
    """Fill the (empty) Industry table; takes the model so migrations can pass theirs."""
    if Industry.objects.exists():
        return 0
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {row["code"]: row for row in rows}

    def section_of(code):
        while by_code[code]["parent"]:
            code = by_code[code]["parent"]
        return code

    objects = [
        Industry(
            code=row["code"],
            name=row["name"].strip(),
            level=int(row["level"]),
            parent_id=row["parent"] or None,
            section=section_of(row["code"]),
            division=row["code"][:2] if int(row["level"]) >= 2 else "",
        )
        for row in rows
    ]
    # The CSV lists each parent before its children.
    Industry.objects.bulk_create(objects, batch_size=500)
    return len(objects)


def ensure_industries(sender=None, **kwargs):
    """post_migrate: reload the table after a flush (transactional tests) or a fresh migrate."""
    from .models import Industry

    load_industries(Industry)
