"""The target sheet's forms: a target with its 数据项 from the catalogue and its 12-month
phasing typed in percent, a department's monthly report, and the light bands of one kind
edited as a set."""

from decimal import Decimal

from django import forms

from yuanqu.figures.catalogue import figures
from yuanqu.utilities.forms import BaseModelForm, MonthField

from .models import Target, TargetReport

MONTHS = range(1, 13)
REPORTED_CHOICE = ("", "填报指标（责任单位填报）")


def figure_choices():
    """Every catalogue figure as “key — name (unit)”, after the empty choice of a reported
    target."""
    return [REPORTED_CHOICE] + [(key, f"{key} — {f.name}（{f.unit}）") for key, f in figures().items()]


def percent_text(fraction) -> str:
    """A stored fraction as the percent a user types: 0.35 → “35”, 0.333333 → “33.3333”."""
    text = f"{Decimal(str(fraction)) * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class TargetForm(BaseModelForm):
    """One line of the sheet as the plan states it. The 分月进度 is twelve optional inputs,
    each the share of the year's target due by the end of that month, in percent (6月 40
    means 40 % by June); all empty is an even 序时进度 (months/12)."""

    figure = forms.ChoiceField(
        label="数据项",
        required=False,
        choices=figure_choices,
        help_text="完成数从数据目录的该数据项计算；选“填报指标”则由责任单位逐月填报完成数",
    )

    class Meta:
        model = Target
        fields = [
            "year",
            "name",
            "figure",
            "kind",
            "value",
            "unit",
            "comparator",
            "tolerance",
            "department",
            "zone",
            "scope_department",
            "order",
            "comments",
        ]
        help_texts = {
            "value": "增速目标填百分数，如“增长9%以上”填 9；总量目标填全年数",
            "department": "负责完成并填报该目标的部门",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        phasing = self.instance.phasing or []
        for month in MONTHS:
            self.fields[f"phasing_{month}"] = forms.DecimalField(
                label=f"{month}月末累计（%）",
                required=False,
                initial=percent_text(phasing[month - 1]) if len(phasing) == 12 else None,
                help_text=(
                    "分月进度：各月末应完成全年目标的累计百分比，逐月不减，不超过100；"
                    "12个月都留空为按月均匀（序时进度 = 月份/12）"
                )
                if month == 1
                else "",
            )

    def phasing_fields(self):
        return [self[f"phasing_{month}"] for month in MONTHS]

    def clean(self):
        data = super().clean()
        shares = [data.get(f"phasing_{month}") for month in MONTHS]
        if all(s is None for s in shares):
            self.instance.phasing = None
            return data
        missing = [f"{m}月" for m, s in zip(MONTHS, shares, strict=True) if s is None]
        if missing:
            self.add_error(None, f"分月进度须12个月都填写或都留空（按月均匀），缺少：{'、'.join(missing)}")
            return data
        for month, share in zip(MONTHS, shares, strict=True):
            if not 0 <= share <= 100:
                self.add_error(f"phasing_{month}", f"{month}月末累计应在0到100之间")
                return data
        for month, (before, share) in enumerate(zip(shares, shares[1:], strict=False), start=2):
            if share < before:
                self.add_error(
                    f"phasing_{month}",
                    f"分月进度须逐月不减：{month}月末{share.normalize():f}%小于{month - 1}月末{before.normalize():f}%",
                )
                return data
        self.instance.phasing = [float(share / 100) for share in shares]
        return data


class TargetReportForm(BaseModelForm):
    """A responsible department's figure for a month: the 1–N月累计 completed, or the growth
    in % for a growth target."""

    period = MonthField(label="月份", help_text="1–N月累计所到的月份，如 2026-09；须在目标年度内")

    class Meta:
        model = TargetReport
        fields = ["target", "period", "actual", "comments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.select_related("unit", "zone", "scope_department")
