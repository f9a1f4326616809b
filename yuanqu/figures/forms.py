from collections import Counter
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from yuanqu.utilities.forms import BaseModelForm
from yuanqu.utilities.periods import parse_period

from .catalogue import figures
from .models import ExchangeRate, PeerValue, Unit

FIRST_RATE_YEAR, LAST_RATE_YEAR = 2000, 2100


def figure_choices():
    return [("", "—— 选择数据项 ——")] + [(key, f"{f.name}（{f.unit}）") for key, f in figures().items()]


def written_names(catalogue=None) -> dict[str, str]:
    """How a file (the 通报's import, the list's export) names each figure: by its Chinese name
    as in the catalogue, or by its key where two figures share that name."""
    catalogue = figures() if catalogue is None else catalogue
    counts = Counter(f.name for f in catalogue.values())
    return {key: f.name if counts[f.name] == 1 else key for key, f in catalogue.items()}


class PeerValueForm(BaseModelForm):
    """Another zone's figure as the bureau's 通报 gives it: the month as 2026-10, the growth in
    percent (9.5 is 增长9.5%)."""

    figure = forms.ChoiceField(label="数据项", choices=figure_choices)
    period = forms.CharField(label="月份", max_length=10, widget=forms.TextInput(attrs={"type": "month"}),
                             help_text="1–N月累计所到的月份，如 2026-10")  # fmt: skip
    growth = forms.DecimalField(label="增速（%）", required=False, max_digits=9, decimal_places=4,
                                help_text="通报中的同比增速，9.5 表示增长9.5%")  # fmt: skip

    class Meta:
        model = PeerValue
        fields = ["figure", "period", "peer", "value", "growth", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["period"] = f"{self.instance.period:%Y-%m}"
            if self.instance.growth is not None:
                self.initial["growth"] = (self.instance.growth * 100).normalize()

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_growth(self):
        growth = self.cleaned_data.get("growth")
        return None if growth is None else (growth / Decimal(100)).quantize(Decimal("0.000001"))

    # Where the error of a row with neither value nor growth goes (None: the whole form).
    neither_field, neither_message = None, "数值和增速至少填写一项"

    def clean(self):
        data = super().clean()
        typed = not (self.has_error("value") or self.has_error("growth"))
        if typed and data.get("value") is None and data.get("growth") is None:
            self.add_error(self.neither_field, self.neither_message)
        return data


class UnitForm(BaseModelForm):
    """A unit of measure: its dimension and what one of it is in the dimension's base unit."""

    class Meta:
        model = Unit
        fields = ["name", "dimension", "factor", "order"]

    def clean_factor(self):
        factor = self.cleaned_data["factor"]
        if factor is not None and factor <= 0:
            raise ValidationError(f"折合基本单位须大于0，实际为“{factor.normalize():f}”")
        return factor


class ExchangeRateForm(BaseModelForm):
    """The year's 美元 rate the zone's statistics use."""

    class Meta:
        model = ExchangeRate
        fields = ["year", "usd_cny", "source"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not FIRST_RATE_YEAR <= year <= LAST_RATE_YEAR:
            raise ValidationError(f"年度须在{FIRST_RATE_YEAR}–{LAST_RATE_YEAR}之间，实际为{year}")
        return year

    def clean_usd_cny(self):
        rate = self.cleaned_data["usd_cny"]
        if rate is not None and rate <= 0:
            raise ValidationError(f"汇率须大于0，实际为“{rate.normalize():f}”")
        return rate
