from django import forms
from django.utils import timezone

from yuanqu.enterprises.models import Enterprise, IndustryChain
from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm

from .choices import Stage
from .models import FundsInPlace, Lead, LeadEvent

DATE = {"type": "date"}


class LeadForm(BaseModelForm):
    """A lead's facts; its stage changes only through ``services.move_stage``."""

    class Meta:
        model = Lead
        fields = [
            "name",
            "investor",
            "origin_region",
            "origin_city",
            "in_province",
            "industry_chain",
            "content",
            "contracted_investment_wan",
            "expected_tax_wan",
            "expected_output_wan",
            "land_mu",
            "power_kva",
            "source",
            "leader",
            "team",
            "department",
            "lead_on",
            "enterprise",
            "comments",
        ]
        widgets = {
            "lead_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "team": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=(Role.STAFF, Role.LEADER))
        self.fields["leader"].queryset = staff.filter(role=Role.LEADER)
        self.fields["industry_chain"].queryset = IndustryChain.objects.filter(active=True)
        if "team" in self.fields:  # the import form leaves team and enterprise out
            self.fields["team"].queryset = staff
            self.fields["enterprise"].queryset = restrict(Enterprise.objects.all(), self.user, "view")
        self.fields["department"].required = True
        if self.instance.pk is None:
            self.initial.setdefault("lead_on", timezone.localdate())
            if self.user is not None and not self.initial.get("department"):
                self.initial["department"] = self.user.department_id
        else:
            self.fields["lead_on"].disabled = True

    def clean_lead_on(self):
        value = self.cleaned_data["lead_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("线索日期不能晚于今天")
        return value

    def save(self, commit=True):
        lead = self.instance
        is_new = lead.pk is None
        if is_new:
            lead.stage, lead.stage_changed_on = Stage.LEAD, lead.lead_on
        lead = super().save(commit)
        if is_new and commit:
            LeadEvent.objects.create(
                lead=lead, to_stage=Stage.LEAD, actor=self.user, date=lead.lead_on, note="登记线索"
            )
        return lead


class MoveStageForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices, label="移至阶段")
    date = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs=DATE), help_text="不填为今天"
    )
    reason = forms.CharField(
        label="原因/说明",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 40}),
        help_text="跳过阶段、退回或终止时必填",
    )

    def __init__(self, *args, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lead is not None:
            self.fields["to"].choices = [c for c in Stage.choices if c[0] != lead.stage]


class FundsForm(forms.ModelForm):
    """One report of funds in place for a lead."""

    class Meta:
        model = FundsInPlace
        fields = ["date", "kind", "amount_wan"]
        widgets = {"date": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def clean_amount_wan(self):
        value = self.cleaned_data["amount_wan"]
        if value is not None and value <= 0:
            raise forms.ValidationError("到位资金须大于0")
        return value

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("日期不能晚于今天")
        return value


class StatisticsForm(forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, error_messages={"invalid": "年度应为整数，如2025"}
    )
    stalled_days = forms.IntegerField(label="停滞天数", min_value=1, max_value=3650, required=False)
