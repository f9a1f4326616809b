from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import Zone
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm, MonthField

from .choices import IndicatorLevel
from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .services import (
    check_unlocked,
    complete_pair,
    complete_values,
    growth_rate,
    record_enterprise_value,
    record_zone_figure,
)


class IndicatorForm(BaseModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "level",
            "population",
            "growth_published",
            "order",
            "active",
        ]


class EnterpriseMonthlyValueForm(BaseModelForm):
    """A month's report of one indicator; saving records a new version, never overwrites."""

    period = MonthField(label="月份")

    class Meta:
        model = EnterpriseMonthlyValue
        fields = ["enterprise", "indicator", "period", "month_value", "ytd_value", "reason"]
        help_texts = {"reason": "更正已有数据时必填"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = restrict(Enterprise.objects.all(), self.user, "view")
        self.fields["indicator"].queryset = Indicator.objects.filter(
            active=True, level=IndicatorLevel.ENTERPRISE
        )

    def clean(self):
        data = super().clean()
        enterprise, indicator, period = data.get("enterprise"), data.get("indicator"), data.get("period")
        if enterprise and indicator and period:
            try:
                from .services import check_unlocked

                check_unlocked(period)
                complete_values(
                    EnterpriseMonthlyValue,
                    {"enterprise": enterprise},
                    indicator,
                    period,
                    data.get("month_value"),
                    data.get("ytd_value"),
                )
                exists = EnterpriseMonthlyValue.objects.filter(
                    enterprise=enterprise, indicator=indicator, period=period
                ).exists()
                if exists and not (data.get("reason") or "").strip():
                    raise ValidationError({"reason": "该企业该月已有此指标数据，更正须填写更正原因"})
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
        return data

    def _post_clean(self):
        # The instance is built in save() by the service (the version is not a form field).
        pass

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = record_enterprise_value(
            data["enterprise"],
            data["indicator"],
            data["period"],
            month_value=data.get("month_value"),
            ytd_value=data.get("ytd_value"),
            reason=data.get("reason") or "",
            user=self.user,
        )
        return self.instance


class NumberField(forms.DecimalField):
    """A reported figure as people type it: thousands separators are allowed (1,234.5)."""

    def __init__(self, name="", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": f"{name}应填写数字，如 500 或 1200.5",
                "max_decimal_places": f"{name}最多保留4位小数",
                "max_digits": f"{name}数值过大，请核对单位",
                "max_whole_digits": f"{name}数值过大，请核对单位",
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("，", "")
        return super().to_python(value)


def plain_number(value) -> str | None:
    """5.0000 → “5”: a stored figure as the input shows it."""
    return None if value is None else f"{value.normalize():f}"


def month_ranges(months) -> str:
    """[1, 2, 3, 5] → “1–3月、5月”."""
    spans = []
    for month in months:
        if spans and spans[-1][1] == month - 1:
            spans[-1][1] = month
        else:
            spans.append([month, month])
    return "、".join(f"{a}月" if a == b else f"{a}–{b}月" for a, b in spans)


class PortalMonthForm(forms.Form):
    """An enterprise's report for one month, every indicator on one form (the portal): a 当月值
    per indicator, 1–N月累计 derived from the year's earlier months (typed as well when one of
    them is missing), one figure for a stock such as 从业人员. Saved through
    ``record_enterprise_value``: a changed value is a new version, an unchanged one writes
    nothing, a locked month is refused. ``lines`` are ``portal.Line``s."""

    reason = forms.CharField(
        label="更正原因",
        max_length=200,
        required=False,
        help_text="修改已报数据时必填，如“按统计局反馈更正”",
    )

    def __init__(self, *args, enterprise, period, lines, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise, self.period, self.lines, self.user = enterprise, period, lines, user
        self.changes = []  # (line, (当月, 累计)) to record
        month = period.month
        for line in lines:
            name, unit = line.indicator.name, line.indicator.get_unit_display()
            current = line.current or (None, None)
            kind = "期末数" if line.stock else "当月值"
            self.fields[line.month_field] = NumberField(
                name, label=f"{name}（{kind}，{unit}）", initial=plain_number(current[0])
            )
            if line.needs_ytd(month):
                self.fields[line.ytd_field] = NumberField(
                    name, label=f"{name}（1–{month}月累计，{unit}）", initial=plain_number(current[1])
                )

    def clean(self):
        from .importers import NEGATIVE_ALLOWED, TOLERANCE

        data = super().clean()
        try:
            check_unlocked(self.period)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["period"]) from None
        for line in self.lines:
            month_name, ytd_name = line.month_field, line.ytd_field
            if month_name in self.errors or ytd_name in self.errors:
                continue
            name = line.indicator.name
            month_value = data.get(month_name)
            ytd_value = data.get(ytd_name) if ytd_name in self.fields else None
            if month_value is None and ytd_value is None:
                if line.current is not None:
                    self.add_error(month_name, f"{name}已填报，不能清空；如需更正请填写新的数值")
                continue
            negative = [
                (field_name, value)
                for field_name, value in ((month_name, month_value), (ytd_name, ytd_value))
                if value is not None and value < 0 and line.code not in NEGATIVE_ALLOWED
            ]
            for field_name, value in negative:
                self.add_error(field_name, f"{name}不能为负数，实际为“{plain_number(value)}”")
            if negative:
                continue
            try:
                pair = complete_pair(
                    line.indicator,
                    self.period,
                    month_value,
                    ytd_value,
                    earlier_months=lambda line=line: line.earlier,
                    previous_ytd=lambda line=line: line.previous_ytd,
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    target = ytd_name if key == "ytd_value" and ytd_name in self.fields else month_name
                    for message in messages:
                        self.add_error(target, f"{name}：{message}")
                continue
            if month_value is not None and ytd_value is not None and not line.stock:
                before = Decimal(0) if self.period.month == 1 else line.previous_ytd
                if before is not None and abs(ytd_value - before - month_value) > TOLERANCE:
                    self.add_error(
                        month_name,
                        f"{name}当月值{plain_number(month_value)}与1–{self.period.month}月累计减上月累计"
                        f"（{plain_number(ytd_value - before)}）不一致",
                    )
                    continue
            if line.current is not None and tuple(line.current) == tuple(pair):
                continue  # unchanged (5.00 and 5 are the same figure): nothing is written
            self.changes.append((line, pair))
        corrections = [line.indicator.name for line, _ in self.changes if line.current is not None]
        if corrections and not (data.get("reason") or "").strip():
            self.add_error("reason", f"修改已报数据（{'、'.join(corrections)}）须填写更正原因")
        return data

    def save(self):
        """Record each changed indicator as its next version, all or none; the changes saved."""
        reason = (self.cleaned_data.get("reason") or "").strip()
        with transaction.atomic():
            for line, (month_value, ytd_value) in self.changes:
                record_enterprise_value(
                    self.enterprise,
                    line.indicator,
                    self.period,
                    month_value=month_value,
                    ytd_value=ytd_value,
                    reason=reason if line.current is not None else "",
                    user=self.user,
                )
        return list(self.changes)

    def rows(self):
        """Per line, what the page shows: the inputs, last year's figures, the stored 1–N月累计
        and its 同比, and the sum of the earlier months the page adds the typed value to."""
        month = self.period.month
        result = []
        for line in self.lines:
            current = line.current or (None, None)
            last_month, last_ytd = line.last_year or (None, None)
            shown = current[0] if line.stock else current[1]
            compared = last_month if line.stock else last_ytd
            growth = growth_rate(shown, compared).value if shown is not None else None
            result.append(
                {
                    "line": line,
                    "indicator": line.indicator,
                    "unit": line.indicator.get_unit_display(),
                    "stock": line.stock,
                    "month_field": self[line.month_field],
                    "ytd_field": self[line.ytd_field] if line.ytd_field in self.fields else None,
                    "base": None if line.stock else line.earlier_sum(month),
                    "missing": month_ranges(line.missing_months(month)),
                    "ytd": current[1],
                    "last_month": last_month,
                    "last_ytd": last_ytd,
                    "growth": None if growth is None else growth * 100,
                    "reported": line.current is not None,
                }
            )
        return result


class PercentField(forms.DecimalField):
    """A rate typed in percent (9.5 for 9.5%), cleaned to the fraction the model stores (0.095)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # the model's fraction; typed text stays as typed
            return f"{(value * 100).normalize():f}"
        return value

    def clean(self, value):
        number = super().clean(value)
        return None if number is None else number / 100


class ZoneMonthlyFigureForm(BaseModelForm):
    """A zone's figure for a month; saving records a new version, never overwrites."""

    period = MonthField(label="月份")
    published_growth = PercentField(
        label="公布增速（%）", help_text="统计部门公布的同比增速，如 9.5 表示增长9.5%"
    )

    class Meta:
        model = ZoneMonthlyFigure
        fields = ["zone", "indicator", "period", "month_value", "ytd_value", "published_growth", "reason"]
        help_texts = {"reason": "更正已有数据时必填", "month_value": "季度数据等无当月值时可只填累计值"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.all()
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True).order_by("-level", "order")

    def clean(self):
        data = super().clean()
        zone, indicator, period = data.get("zone"), data.get("indicator"), data.get("period")
        if zone and indicator and period:
            try:
                check_unlocked(period)
                complete_values(
                    ZoneMonthlyFigure,
                    {"zone": zone},
                    indicator,
                    period,
                    data.get("month_value"),
                    data.get("ytd_value"),
                    strict=False,
                )
                exists = ZoneMonthlyFigure.objects.filter(
                    zone=zone, indicator=indicator, period=period
                ).exists()
                if exists and not (data.get("reason") or "").strip():
                    raise ValidationError({"reason": "该园区/片区该月已有此指标数据，更正须填写更正原因"})
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
        return data

    def _post_clean(self):
        pass  # the instance is built in save() by the service (the version is not a form field)

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = record_zone_figure(
            data["zone"],
            data["indicator"],
            data["period"],
            published_growth=data.get("published_growth"),
            month_value=data.get("month_value"),
            ytd_value=data.get("ytd_value"),
            reason=data.get("reason") or "",
            user=self.user,
        )
        return page_after_save(self.instance, "economy:zonemonthlyfigure")


def page_after_save(instance, url_name):
    """The model's own URL is the summary; after a save the user lands on the record's page."""
    instance.get_absolute_url = lambda: reverse(url_name, args=[instance.pk])
    return instance


class PeriodLockForm(forms.Form):
    period = MonthField(label="月份")
    comments = forms.CharField(label="说明", max_length=200, required=False)
