from django import forms
from django.core.exceptions import ValidationError

from yuanqu.enterprises.models import Enterprise
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm
from yuanqu.utilities.import_views import UploadForm

from .choices import IndicatorLevel
from .models import EnterpriseMonthlyValue, Indicator
from .services import complete_values, parse_period, record_enterprise_value


class MonthField(forms.CharField):
    """A month typed as “2023-10” (or a date in it); cleaned to the month's first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        return parse_period(value)


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


class MonthlyImportUploadForm(UploadForm):
    """The monthly import's upload: the file and the month its values belong to."""

    period = MonthField(label="月份", help_text="文件中数据所属的月份，如 2023-10")
