from django import forms

from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.utilities.forms import BaseModelForm, DateField, DateInput

from .choices import TaskStatus
from .models import AssessmentNotice, AssessmentPeriod, Task, TaskMilestone, TaskReport
from .services import SupervisionError, parse_due_text


class TaskReportForm(BaseModelForm):
    class Meta:
        model = TaskReport
        fields = ["reported_on", "percent", "progress", "problems", "next_step"]
        widgets = {
            "reported_on": DateInput(),
            "progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if percent > 100:
            raise forms.ValidationError("完成进度须在0到100之间。")
        return percent


class CloseItemForm(forms.Form):
    evidence = forms.CharField(label="佐证材料说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_file = forms.CharField(label="佐证文件名", max_length=200, required=False)


class LookbackForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="复查结果",
        choices=[("1", "通过（问题未反弹）"), ("0", "重新整改")],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(BaseModelForm):
    """A task's facts; 完成时限 may be given as a date or as “6月底前完成”."""

    due_on = DateField(label="完成时限", required=False)

    class Meta:
        model = Task
        fields = [
            "number",
            "work_point",
            "text",
            "target",
            "department",
            "supporting_departments",
            "leader",
            "report_cycle",
            "start_on",
            "due_on",
            "due_text",
            "status",
            "done_on",
        ]
        labels = {"department": "牵头单位"}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "start_on": DateInput(),
            "done_on": DateInput(),
            "supporting_departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].required = True
        self.fields["leader"].queryset = User.objects.filter(role=Role.LEADER, is_active=True)
        # The leader is picked by name among active leaders: naming who leads a task needs no
        # grant to the account pages (roles, contact details, lockouts).
        self.fields["leader"].restrict_choices = False
        # 取消 is its own action, with a reason.
        self.fields["status"].choices = [c for c in TaskStatus.choices if c[0] != TaskStatus.CANCELLED]
        self.fields["due_on"].help_text = "填写日期，或在“时限表述”中写“6月底前完成”由系统换算"

    def clean(self):
        data = super().clean()
        start_on, due_on, due_text = data.get("start_on"), data.get("due_on"), data.get("due_text")
        if due_on is None and due_text and start_on:
            try:
                data["due_on"] = due_on = parse_due_text(due_text, start_on.year)
            except SupervisionError as exc:
                self.add_error("due_text", str(exc))
        elif due_on is None and "due_on" not in self.errors:
            self.add_error("due_on", "请填写完成时限（日期或“6月底前完成”式的表述）")
        if start_on and due_on and due_on < start_on:
            self.add_error("due_on", f"完成时限{due_on:%Y-%m-%d}早于开始日期{start_on:%Y-%m-%d}")
        if data.get("status") == TaskStatus.DONE and not data.get("done_on"):
            self.add_error("done_on", "状态为“已完成”时须填写完成日期")
        lead = data.get("department")
        if lead and lead in (data.get("supporting_departments") or []):
            self.add_error("supporting_departments", f"{lead}已是牵头单位，不能同时作为配合单位")
        return data


class TaskMilestoneForm(BaseModelForm):
    class Meta:
        model = TaskMilestone
        fields = ["text", "due_on", "done_on"]
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
        }
        error_messages = {
            "text": {"required": "请填写节点内容"},
            "due_on": {"required": "请填写节点时限", "invalid": "节点时限不是有效日期"},
        }


MilestoneFormSet = forms.inlineformset_factory(
    Task, TaskMilestone, form=TaskMilestoneForm, extra=2, can_delete=True
)


class CancelTaskForm(forms.Form):
    reason = forms.CharField(
        label="取消原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写取消原因"},
    )


class UrgeForm(forms.Form):
    text = forms.CharField(label="催办内容", widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentPeriodForm(BaseModelForm):
    class Meta:
        model = AssessmentPeriod
        fields = [
            "name",
            "kind",
            "start_on",
            "end_on",
            "weight_tasks",
            "weight_reports",
            "weight_demands_on_time",
            "weight_demands_satisfied",
            "weight_targets",
            "overdue_deduction",
            "notice_deduction",
        ]
        widgets = {
            "start_on": DateInput(),
            "end_on": DateInput(),
        }

    def clean(self):
        data = super().clean()
        start_on, end_on = data.get("start_on"), data.get("end_on")
        if start_on and end_on and end_on < start_on:
            self.add_error("end_on", "截止日期不能早于起始日期")
        weights = [data.get(f) for f in self.Meta.fields if f.startswith("weight_")]
        if all(w is not None for w in weights) and sum(weights) != 100:
            self.add_error(None, f"五项权重之和应为100，当前为{sum(weights)}")
        for name in self.Meta.fields:
            value = data.get(name)
            if (
                (name.startswith("weight_") or name.endswith("_deduction"))
                and value is not None
                and value < 0
            ):
                self.add_error(name, "不能为负数")
        return data


class AssessmentNoticeForm(BaseModelForm):
    class Meta:
        model = AssessmentNotice
        fields = ["department", "issued_on", "text"]
        widgets = {"issued_on": DateInput()}
