from django import forms

from yuanqu.demands.models import DemandCategory
from yuanqu.supervision.models import WorkPoint
from yuanqu.users.models import User
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseForm, BaseModelForm, DateField, DateInput, MonthField

from .models import Blocker, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan, WeeklyReport
from .services.conversions import DEMAND_CATEGORY
from .services.recording import record_progress
from .services.weekly import record_weekly, week_of

DATE = DateInput()


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
        self.fields["leader"].queryset = User.objects.filter(role="leader", is_active=True)
        # The leader is picked by name among active leaders: naming who leads a project needs
        # no grant to the account pages (roles, contact details, lockouts).
        self.fields["leader"].restrict_choices = False
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
    decided_on = DateField(label="决定日期")


class WeeklyReportForm(ChildForm):
    """A week's report of a watched project; a correction is a new version with a reason."""

    week = DateField(label="周", help_text="该周任一天，按所在周（周一至周日）归档")

    class Meta:
        model = WeeklyReport
        fields = ["project", "week", "progress_text", "problems", "next_step", "reason"]
        help_texts = {"reason": "更正本周已报周报时必填"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = self.fields["project"].queryset.filter(weekly_watch=True)

    def clean(self):
        data = super().clean()
        project, week = data.get("project"), data.get("week")
        if project and week:
            monday = week_of(week)
            if (
                WeeklyReport.objects.filter(project=project, week=monday).exists()
                and not (data.get("reason") or "").strip()
            ):
                self.add_error("reason", f"该项目{monday:%Y-%m-%d}所在周已有周报，更正须填写更正原因")
        return data

    def _post_clean(self):
        pass  # the service builds the versioned instance in save()

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = record_weekly(
            data["project"],
            data["week"],
            progress_text=data["progress_text"],
            problems=data.get("problems") or "",
            next_step=data.get("next_step") or "",
            reason=data.get("reason") or "",
            user=self.user,
        )
        return self.instance


class StatisticsForm(forms.Form):
    period = MonthField(label="截至月份", help_text="统计该年1月至所选月份")


class BlockerDemandForm(BaseForm):
    category = forms.ModelChoiceField(queryset=DemandCategory.objects.none(), label="诉求类别")

    def __init__(self, *args, blocker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DemandCategory.objects.filter(active=True)
        if blocker is not None:
            name = DEMAND_CATEGORY.get(blocker.kind)
            self.initial.setdefault("category", DemandCategory.objects.filter(name=name).first())


class BlockerTaskForm(BaseForm):
    work_point = forms.ModelChoiceField(queryset=WorkPoint.objects.none(), label="工作要点")
    due_on = DateField(label="完成时限")

    def __init__(self, *args, blocker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_point"].queryset = WorkPoint.objects.all()
        if blocker is not None and blocker.deadline:
            self.initial.setdefault("due_on", blocker.deadline)
