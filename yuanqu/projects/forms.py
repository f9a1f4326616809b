from django import forms

from yuanqu.economy.forms import MonthField
from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import User
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm

from .models import Blocker, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan
from .services import record_progress

DATE = forms.DateInput(attrs={"type": "date"})


class KeyProjectForm(BaseModelForm):
    class Meta:
        model = KeyProject
        fields = [
            "code",
            "name",
            "enterprise",
            "type",
            "total_investment_wan",
            "fai_registered",
            "fai_registered_on",
            "leader",
            "department",
            "liaison",
            "image_progress",
            "comments",
        ]
        widgets = {"fai_registered_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = restrict(Enterprise.objects.all(), self.user, "view")
        self.fields["leader"].queryset = User.objects.filter(role="leader", is_active=True)
        if self.instance.pk is None and self.user is not None and not self.initial.get("department"):
            self.initial["department"] = self.user.department_id


class ChildForm(BaseModelForm):
    """A project's child record: the project list is what the user may change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = restrict(KeyProject.objects.all(), self.user, "change")


class ProjectYearPlanForm(ChildForm):
    class Meta:
        model = ProjectYearPlan
        fields = ["project", "year", "level", "annual_plan_wan"]


class MilestoneForm(ChildForm):
    class Meta:
        model = Milestone
        fields = ["project", "kind", "planned_on", "actual_on"]
        widgets = {"planned_on": DATE, "actual_on": DATE}


class BlockerForm(ChildForm):
    class Meta:
        model = Blocker
        fields = ["project", "kind", "description", "owner_department", "deadline", "resolved_on"]
        widgets = {"deadline": DATE, "resolved_on": DATE}


class MonthlyProgressForm(ChildForm):
    """A month's report; saving records a new version, never overwrites (a correction needs
    a reason)."""

    period = MonthField(label="月份")

    class Meta:
        model = MonthlyProgress
        fields = ["project", "period", "month_investment_wan", "physical_progress", "problems", "reason"]
        help_texts = {"reason": "更正已填报月份时必填"}

    def clean(self):
        data = super().clean()
        project, period = data.get("project"), data.get("period")
        if project and period:
            exists = MonthlyProgress.objects.filter(project=project, period=period).exists()
            if exists and not (data.get("reason") or "").strip():
                self.add_error("reason", f"该项目{period.year}年{period.month}月已有月报，更正须填写更正原因")
        return data

    def _post_clean(self):
        # The version is not a form field: the service builds the instance in save().
        pass

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = record_progress(
            data["project"],
            data["period"],
            month_investment_wan=data["month_investment_wan"],
            physical_progress=data.get("physical_progress") or "",
            problems=data.get("problems") or "",
            reason=data.get("reason") or "",
            user=self.user,
        )
        return self.instance


class EscalationForm(forms.Form):
    reason = forms.CharField(label="提级理由", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.CharField(label="调度决定", widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label="决定日期", widget=DATE)
