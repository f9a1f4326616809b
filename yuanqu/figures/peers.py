"""Where the zone stands among its peers for a figure: rank by value and by growth (equal
values share a rank: 1, 2, 2, 4) among the peers' rows of the month and the zone's own value,
and its share of the city (the 全市 row, else the zone plus its peers)."""

from dataclasses import dataclass
from decimal import Decimal

from .models import PeerValue


@dataclass
class Standing:
    rank: int | None = None
    rank_of: int | None = None
    growth_rank: int | None = None
    growth_rank_of: int | None = None
    share: Decimal | None = None  # a fraction

    def text(self) -> str:
        parts = []
        if self.rank:
            parts.append(f"居全市第{self.rank}位（共{self.rank_of}个）")
        if self.growth_rank:
            parts.append(f"增速居第{self.growth_rank}位")
        if self.share is not None:
            parts.append(f"占全市{self.share * 100:.1f}%")
        return "，".join(parts)


def peer_rows(period) -> dict[str, list[PeerValue]]:
    """The peers' rows of the month by figure key (one query)."""
    rows: dict[str, list[PeerValue]] = {}
    for row in PeerValue.objects.filter(period=period).order_by("peer"):
        rows.setdefault(row.figure, []).append(row)
    return rows


def _rank(own, others) -> tuple[int | None, int | None]:
    values = [v for v in others if v is not None]
    if own is None or not values:
        return None, None
    return 1 + sum(1 for v in values if v > own), len(values) + 1


def standing(rows: list[PeerValue], value, growth) -> Standing | None:
    if not rows:
        return None
    city = next((r for r in rows if r.peer == PeerValue.CITY), None)
    peers = [r for r in rows if r.peer != PeerValue.CITY]
    result = Standing()
    result.rank, result.rank_of = _rank(value, [r.value for r in peers])
    result.growth_rank, result.growth_rank_of = _rank(growth, [r.growth for r in peers])
    if value is not None:
        if city is not None and city.value:
            result.share = Decimal(value) / city.value
        elif peers and all(r.value is not None for r in peers):
            total = Decimal(value) + sum(r.value for r in peers)
            result.share = Decimal(value) / total if total else None
    return result
