from decimal import Decimal

import django_tables2 as tables

from yuanqu.utilities.links import GuardedLinkColumn
from yuanqu.utilities.tables import BaseTable

from .choices import IndicatorCode
from .models import Appeal, EvaluationInput, EvaluationResult, EvaluationScheme, SchemeIndicator
from .services import FORMULAS


def number(value, places=2):
    if value in (None, ""):
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


class IndicatorColumn(tables.Column):
    """One indicator's value (to 4 decimals for ratios, 2 otherwise) from the result's JSON."""

    def __init__(self, code, **kwargs):
        self.code = code
        unit = FORMULAS[code][2]
        super().__init__(
            accessor="values",
            empty_values=(),
            orderable=False,
            verbose_name=f"{IndicatorCode(code).label}（{unit}）",
        )

    def value(self, record, **kwargs):
        places = 4 if self.code == IndicatorCode.RD_INTENSITY else 2
        return number((record.values.get(self.code) or {}).get("value"), places)

    def render(self, record, **kwargs):
        value = self.value(record)
        return "—" if value is None else value


class EvaluationResultTable(BaseTable):
    enterprise = tables.Column(linkify=True, verbose_name="企业", order_by=("enterprise__name",))
    year = tables.Column(verbose_name="年度")
    zone = tables.Column(
        accessor="enterprise__zone", verbose_name="片区", order_by=("enterprise__zone__name",)
    )
    chain = tables.Column(
        accessor="enterprise__industry_chain",
        verbose_name="产业链",
        order_by=("enterprise__industry_chain__name",),
    )
    land_area_mu = tables.Column(verbose_name="用地面积（亩）")
    score = tables.Column(verbose_name="综合得分")
    rank = tables.Column(verbose_name="排名")
    grade = tables.Column(verbose_name="分类")
    change = tables.Column(empty_values=(), verbose_name="较上年", order_by=("change",))
    note = tables.Column(verbose_name="说明", orderable=False)

    class Meta(BaseTable.Meta):
        model = EvaluationResult
        fields = (
            "enterprise",
            "year",
            "zone",
            "chain",
            "land_area_mu",
            "score",
            "rank",
            "grade",
            "change",
            "note",
        )
        sequence = (
            "enterprise",
            "year",
            "zone",
            "chain",
            "land_area_mu",
            "...",
            "score",
            "rank",
            "grade",
            "change",
        )

    def __init__(self, data, *args, **kwargs):
        schemes = data.values("scheme_id").distinct() if hasattr(data, "values") else []
        codes = list(
            SchemeIndicator.objects.filter(scheme_id__in=schemes)
            .order_by("id")
            .values_list("code", flat=True)
        )
        extra = [(f"indicator_{code}", IndicatorColumn(code)) for code in dict.fromkeys(codes)]
        super().__init__(data, *args, extra_columns=extra, **kwargs)

    def render_score(self, value):
        return number(value)

    def value_score(self, value):
        return number(value)

    def render_grade(self, record):
        return record.grade or "未评"

    def value_grade(self, record):
        return record.grade or "未评"

    def render_change(self, record):
        return record.change_display() or "—"

    def value_change(self, record):
        return record.change_display()


class EvaluationSchemeTable(BaseTable):
    year = tables.Column(linkify=True, verbose_name="评价年度")
    populations = tables.Column(empty_values=(), orderable=False, verbose_name="参评规上类别")
    land_threshold_mu = tables.Column(verbose_name="其他企业用地门槛（亩）")
    class_basis = tables.Column(verbose_name="分类依据")
    status = tables.Column(verbose_name="状态")
    published_on = tables.DateColumn(format="Y-m-d", verbose_name="公布日期")
    evaluated_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="最近评价时间")

    class Meta(BaseTable.Meta):
        model = EvaluationScheme
        fields = (
            "year",
            "populations",
            "land_threshold_mu",
            "class_basis",
            "status",
            "published_on",
            "evaluated_at",
        )

    def render_populations(self, record):
        return record.populations_display()


class EvaluationInputTable(BaseTable):
    enterprise = tables.Column(verbose_name="企业", order_by=("enterprise__name",))
    year = tables.Column(verbose_name="年度")
    edit = GuardedLinkColumn("evaluation:evaluationinput_edit", text="修改", orderable=False, verbose_name="")
    exclude_from_export = ("edit",)

    class Meta(BaseTable.Meta):
        model = EvaluationInput
        fields = (
            "enterprise",
            "year",
            "tax_wan",
            "revenue_wan",
            "value_added_wan",
            "energy_tce",
            "emissions_t",
            "employees",
            "rd_wan",
            "electricity_wan_kwh",
            "source",
            "edit",
        )


class AppealTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="编号")
    enterprise = tables.Column(
        accessor="result__enterprise", verbose_name="企业", order_by=("result__enterprise__name",)
    )
    year = tables.Column(accessor="result__year", verbose_name="年度")
    grade = tables.Column(accessor="result__grade", verbose_name="分类")
    submitted_on = tables.DateColumn(format="Y-m-d", verbose_name="提交日期")
    status = tables.Column(verbose_name="状态")
    resolved_on = tables.DateColumn(format="Y-m-d", verbose_name="处理日期")

    class Meta(BaseTable.Meta):
        model = Appeal
        fields = ("id", "enterprise", "year", "grade", "submitted_on", "status", "resolved_on")
