"""Excel import of the annual task list (工作要点分解): one row per task, by 序号 (the task
number). Departments are matched by name; 完成时限 takes a date or “6月底前完成”; each row's
工作要点 is the year's work point of that title, created when missing."""

import datetime
import re

from django import forms
from django.utils import timezone

from yuanqu.utilities.importing import Column, Importer, register

from .choices import TaskStatus, WorkPointSource
from .forms import TaskForm
from .models import Task, WorkPoint
from .services import SupervisionError, parse_due_text
from .tables import TaskTable
from .views import TASKS


class TaskImportForm(TaskForm):
    """The edit form, with the work point named by its title and the due date as read."""

    work_point_title = forms.CharField(label="工作要点", max_length=200, required=False)
    due_on = forms.CharField(label="完成时限")

    class Meta(TaskForm.Meta):
        fields = [
            "number",
            "text",
            "target",
            "department",
            "supporting_departments",
            "leader",
            "report_cycle",
            "start_on",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["work_point_title"] = instance.work_point.title
        self.fields["start_on"].required = False
        self.fields["status"].required = False

    def clean_due_on(self):
        value = str(self.cleaned_data["due_on"]).strip()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
        start_on = self.data.get("start_on")
        year = start_on.year if isinstance(start_on, datetime.date) else timezone.localdate().year
        try:
            return parse_due_text(value, year)
        except SupervisionError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        due_on = self.cleaned_data.get("due_on")
        if not self.cleaned_data.get("start_on") and due_on:
            self.cleaned_data["start_on"] = self.instance.start_on or datetime.date(due_on.year, 1, 1)
        if not self.cleaned_data.get("status"):
            self.cleaned_data["status"] = self.instance.status or TaskStatus.NOT_STARTED
        written = str(self.data.get("due_on") or "").strip()
        if due_on and written != due_on.isoformat():
            self.cleaned_data["due_text"] = written  # “6月底前完成” as the file wrote it
        return super().clean()

    def _post_clean(self):
        super()._post_clean()
        self.instance.due_on = self.cleaned_data.get("due_on")
        self.instance.due_text = self.cleaned_data.get("due_text", "")

    def save(self, commit=True):
        task = super().save(commit=False)
        year = task.start_on.year
        title = (self.cleaned_data.get("work_point_title") or "").strip() or f"{year}年工作要点"
        point = WorkPoint.objects.filter(year=year, title=title).first()
        if point is None:
            number = f"{WorkPoint.objects.filter(year=year).count() + 1:02d}"
            point = WorkPoint.objects.create(
                year=year, number=number, title=title, source=WorkPointSource.WORK_POINT
            )
        task.work_point = point
        task.save()
        self.save_m2m()
        return task


@register
class TaskImporter(Importer):
    name = "tasks"
    model = Task
    form = TaskImportForm
    key = "number"
    queryset = TASKS
    table = TaskTable
    template_filename = "督办任务导入模板.xlsx"
    columns = [
        Column(
            "序号", "number", required=True, text=True, help="任务编号，如 2026-01；已有编号的任务按此更新"
        ),
        Column("工作要点", "work_point_title", help="所属工作要点标题；留空为“某年工作要点”"),
        Column("任务内容", "text", required=True, aliases=("工作要点/任务内容", "工作任务")),
        Column("量化目标", "target"),
        Column("牵头单位", "department", required=True, aliases=("责任单位",), help="部门全称"),
        Column("配合单位", "supporting_departments", help="部门全称，多个用“、”分隔"),
        Column("责任领导", "leader", help="领导姓名"),
        Column("完成时限", "due_on", required=True, help="日期，或“6月底前完成”“9月15日前”"),
        Column("报送周期", "report_cycle", required=True, help="周、月 或 季"),
        Column("开始日期", "start_on", help="留空为完成时限当年1月1日"),
    ]

    def convert(self, column, value):
        if column.field != "supporting_departments":
            return super().convert(column, value)
        names = [n.strip() for n in re.split(r"[、,，;；\s]+", str(value or "")) if n.strip()]
        field = self.form_field(column)
        return [self.lookup(column, field, name) for name in names] or None
