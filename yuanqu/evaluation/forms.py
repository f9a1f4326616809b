from django import forms

from yuanqu.enterprises.choices import ScaleKind
from yuanqu.enterprises.models import Enterprise
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm, DateInput

from .choices import AppealStatus, Grade
from .models import Appeal, EvaluationInput, EvaluationScheme, SchemeIndicator
from .services import CORRECTABLE, INPUTS, configuration_errors


class SchemeForm(BaseModelForm):
    populations = forms.MultipleChoiceField(
        label="参评规上类别",
        choices=ScaleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="当年有这些类别规上记录的企业参评",
    )

    class Meta:
        model = EvaluationScheme
        fields = [
            "year",
            "populations",
            "land_threshold_mu",
            "class_basis",
            "cut_a",
            "cut_b",
            "cut_c",
            "status",
            "published_on",
            "department",
            "comments",
        ]
        widgets = {"published_on": DateInput()}
        help_texts = {
            "cut_a": "按排名：前百分之几为A类（累计，如20）；按得分：A类最低分（如100）",
            "cut_b": "按排名：累计到百分之几为B类及以上（如65）；按得分：B类最低分",
            "cut_c": "按排名：累计到百分之几为C类及以上（如95），其余为D类；按得分：C类最低分",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].required = True
        if self.instance.pk is None and self.user is not None and not self.initial.get("department"):
            self.initial["department"] = self.user.department_id

    def clean(self):
        data = super().clean()
        if not data.get("populations") and data.get("land_threshold_mu") is None:
            self.add_error("populations", "请至少选择一个规上类别，或填写用地门槛")
        if data.get("status") == "published" and not data.get("published_on"):
            self.add_error("published_on", "已公布的方案须填写公布日期")
        return data


class SchemeIndicatorForm(forms.ModelForm):
    class Meta:
        model = SchemeIndicator
        fields = ["code", "weight", "benchmark", "max_points", "when_missing"]


class BaseIndicatorFormSet(forms.BaseInlineFormSet):
    def rules(self):
        return [
            f.instance
            for f in self.forms
            if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


IndicatorFormSet = forms.inlineformset_factory(
    EvaluationScheme,
    SchemeIndicator,
    form=SchemeIndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=2,
    can_delete=True,
)


def check_scheme(form, formset) -> bool:
    """The checks across the scheme and its indicators (weights sum to 100, cut-offs do not
    overlap); errors go to the field or, for the indicators, to the formset."""
    data = form.cleaned_data
    errors = configuration_errors(
        formset.rules(), data.get("class_basis"), data.get("cut_a"), data.get("cut_b"), data.get("cut_c")
    )
    for name, message in errors.items():
        if name == "indicators":
            formset._non_form_errors = formset.error_class([message])
        else:
            form.add_error(name, message)
    return not errors


class EvaluationInputForm(BaseModelForm):
    class Meta:
        model = EvaluationInput
        fields = [
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
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["enterprise"].queryset = restrict(Enterprise.objects.all(), self.user, "view")


class AppealForm(BaseModelForm):
    class Meta:
        model = Appeal
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label="处理结果",
        choices=[(AppealStatus.ACCEPTED, "采纳"), (AppealStatus.REJECTED, "不予采纳")],
    )
    resolution = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}))
    adjusted_class = forms.ChoiceField(
        label="调档为", choices=[("", "不调档"), *Grade.choices], required=False
    )
    adjust_reason = forms.CharField(label="调档理由", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in CORRECTABLE:
            name, unit, _code = INPUTS[key]
            self.fields[key] = forms.DecimalField(
                label=f"更正{name}（{unit}）", required=False, min_value=0, max_digits=18, decimal_places=4
            )

    def corrections(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in CORRECTABLE}
