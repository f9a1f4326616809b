"""Console exports of economic data (``yuanqu export NAME FILE``), beyond the list pages' ones;
registered in ``EconomyConfig.ready()``.

``monthly``: the enterprise monthly values of one month (``--period 2023-10``) in the layout
the monthly import reads (``importers.MonthlyImporter``): one row per enterprise keyed by
统一社会信用代码, a 当月 and a 1–N月累计 column per indicator, so the file re-imports unchanged.
"""

from .importers import MONTH, YTD, MonthlyImporter
from .models import EnterpriseMonthlyValue
from .services import describe, parse_period


class MonthlyExporter:
    name = "monthly"
    model = EnterpriseMonthlyValue
    accepts_period = True

    def __init__(self, period):
        """``period``: a month, or its text (“2023-10”; a bad one raises ValidationError)."""
        self.period = period if hasattr(period, "year") else parse_period(str(period))

    @property
    def title(self):
        return f"企业月报（{describe(self.period)}）"

    def export(self, queryset, user=None):
        """(header, rows) of the current values of the month among ``queryset`` (restricted)."""
        columns = MonthlyImporter(period=self.period).columns
        header = [column.header for column in columns]
        fields = [column.field for column in columns]
        values = (
            queryset.filter(period=self.period, is_current=True)
            .order_by()
            .values_list("enterprise__uscc", "enterprise__name", "indicator__code", MONTH, YTD)
        )
        by_enterprise = {}
        for uscc, name, code, month_value, ytd_value in values:
            row = by_enterprise.setdefault(uscc, {"uscc": uscc, "name": name})
            row[f"{code}:{MONTH}"], row[f"{code}:{YTD}"] = month_value, ytd_value
        rows = [[row.get(f) for f in fields] for _, row in sorted(by_enterprise.items())]
        return header, rows

