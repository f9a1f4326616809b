import django_tables2 as tables
from django.utils.html import format_html

from yuanqu.core.workdays import WorkCalendar
from yuanqu.utilities.tables import BaseTable

from .models import AssessmentPeriod, RectificationItem, Task
from .services import LIGHTS, light


def light_badge(value) -> str:
    if not value:
        return "—"
    return format_html(
        '<span class="badge light solid {}">{}</span>',
        value,
        LIGHTS[value],
    )


class TaskTable(BaseTable):
    number = tables.Column(linkify=True, verbose_name="任务编号")
    text = tables.Column(verbose_name="任务内容")
    work_point = tables.Column(verbose_name="工作要点", order_by=("work_point__number",))
    department = tables.Column(verbose_name="牵头单位", order_by=("department__name",))
    leader = tables.Column(verbose_name="责任领导")
    report_cycle = tables.Column(verbose_name="报送周期")
    due_on = tables.DateColumn(format="Y-m-d", verbose_name="完成时限")
    status = tables.Column(verbose_name="状态")
    light = tables.Column(empty_values=(), orderable=False, verbose_name="亮灯")

    class Meta(BaseTable.Meta):
        model = Task
        fields = (
            "number",
            "text",
            "work_point",
            "department",
            "leader",
            "report_cycle",
            "due_on",
            "status",
            "light",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = WorkCalendar()

    def render_light(self, record):
        value = light(record, calendar=self.calendar)
        return (LIGHTS[value] if value else "") if self.exporting else light_badge(value)

    def value_light(self, record):
        value = light(record, calendar=self.calendar)
        return LIGHTS[value] if value else ""


class RectificationTable(BaseTable):
    number = tables.Column(linkify=True, verbose_name="序号")
    list_name = tables.Column(verbose_name="整改清单")
    problem = tables.Column(verbose_name="问题")
    department = tables.Column(verbose_name="责任单位", order_by=("department__name",))
    due_on = tables.DateColumn(format="Y-m-d", verbose_name="时间节点")
    closed_on = tables.DateColumn(format="Y-m-d", verbose_name="销号日期")

    class Meta(BaseTable.Meta):
        model = RectificationItem
        fields = ("number", "list_name", "problem", "department", "due_on", "closed_on")


class AssessmentPeriodTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name="名称")
    kind = tables.Column(verbose_name="类型")
    start_on = tables.DateColumn(format="Y-m-d", verbose_name="起始日期")
    end_on = tables.DateColumn(format="Y-m-d", verbose_name="截止日期")
    computed_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="计算时间")

    class Meta(BaseTable.Meta):
        model = AssessmentPeriod
        fields = ("name", "kind", "start_on", "end_on", "computed_at")
