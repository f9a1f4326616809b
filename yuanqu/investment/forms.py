from django import forms
from django.utils import timezone

from yuanqu.enterprises.models import Enterprise, IndustryChain
from yuanqu.projects.forms import KeyProjectForm
from yuanqu.projects.models import KeyProject
from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseForm, BaseModelForm, DateField, DateInput

from .choices import Stage
from .models import FundsInPlace, Lead
from .services import open_lead


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
            "lead_on": DateInput(),
            "team": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=(Role.STAFF, Role.LEADER))
        self.fields["leader"].queryset = staff.filter(role=Role.LEADER)
        # People are picked by name among active leaders and staff: naming who leads or works
        # a lead needs no grant to the account pages (roles, contact details, lockouts).
        self.fields["leader"].restrict_choices = False
        self.fields["industry_chain"].queryset = IndustryChain.objects.filter(active=True)
        if "team" in self.fields:  # the import form leaves team and enterprise out
            self.fields["team"].queryset = staff
            self.fields["team"].restrict_choices = False
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
        if self.instance.pk is not None or not commit:
            return super().save(commit)
        lead = open_lead(super().save(commit=False), self.user)
        self.save_m2m()
        return lead


class MoveStageForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices, label="移至阶段")
    date = DateField(label="日期", required=False, help_text="不填为今天")
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


class FundsForm(BaseModelForm):
    """One report of funds in place for a lead."""

    class Meta:
        model = FundsInPlace
        fields = ["date", "kind", "amount_wan"]
        widgets = {"date": DateInput()}


class LinkProjectForm(BaseForm):
    """The key project a lead became, among those the user may see (empty: unlink)."""

    key_project = forms.ModelChoiceField(
        queryset=KeyProject.objects.none(),
        label="重点项目",
        required=False,
        empty_label="（不关联）",
        error_messages={"invalid_choice": "所选重点项目不存在或您无权查看"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_project"].queryset = restrict(KeyProject.objects.all(), self.user, "view")


class ProjectFromLeadForm(KeyProjectForm):
    """The normal key-project form; saving it also links the lead to the new project."""

    def __init__(self, *args, lead=None, **kwargs):
        self.lead = lead
        super().__init__(*args, **kwargs)

    def save(self, commit=True):
        project = super().save(commit)
        self.lead.key_project = project
        self.lead.save()
        return project


def project_initial(lead) -> dict:
    """What a key project takes over from its lead (the project code is the user's to give)."""
    initial = {
        "name": lead.name,
        "enterprise": lead.enterprise_id,
        "total_investment_wan": lead.contracted_investment_wan,
        "department": lead.department_id,
        "comments": f"由招商项目“{lead}”转入。",
    }
    if "industry_chain" in ProjectFromLeadForm.base_fields:  # once the project book has chains
        initial["industry_chain"] = lead.industry_chain_id
    return initial


class StatisticsForm(forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, error_messages={"invalid": "年度应为整数，如2025"}
    )
    stalled_days = forms.IntegerField(label="停滞天数", min_value=1, max_value=3650, required=False)
