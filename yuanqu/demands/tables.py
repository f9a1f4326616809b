import django_tables2 as tables
from django.utils.html import format_html

from yuanqu.core.workdays import WorkCalendar
from yuanqu.utilities.tables import BaseTable

from .choices import Light
from .models import Demand, DemandCategory
from .services import light


def light_badge(value) -> str:
    if not value:
        return "—"
    return format_html(
        '<span class="badge light solid {}">{}</span>',
        value,
        Light(value).label,
    )


class DemandTable(BaseTable):
    number = tables.Column(linkify=True, verbose_name="编号")
    title = tables.Column(verbose_name="标题")
    enterprise = tables.Column(verbose_name="企业", order_by=("enterprise__name",))
    category = tables.Column(verbose_name="类别")
    channel = tables.Column(verbose_name="来源渠道")
    status = tables.Column(verbose_name="状态")
    holder = tables.Column(empty_values=(), verbose_name="当前承办", orderable=False)
    department = tables.Column(verbose_name="责任部门")
    received_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="受理时间")
    due_on = tables.DateColumn(format="Y-m-d", verbose_name="办理期限")
    light = tables.Column(empty_values=(), verbose_name="亮灯", orderable=False)
    escalation_level = tables.Column(verbose_name="督办级别")

    class Meta(BaseTable.Meta):
        model = Demand
        fields = (
            "number",
            "title",
            "enterprise",
            "category",
            "channel",
            "status",
            "holder",
            "department",
            "received_at",
            "due_on",
            "light",
            "escalation_level",
            "satisfaction",
        )
        sequence = fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = WorkCalendar()

    def render_holder(self, record):
        return record.holder_display

    def render_light(self, record):
        value = light(record, calendar=self.calendar)
        if self.exporting:
            return Light(value).label if value else ""
        return light_badge(value)

    def value_light(self, record):
        value = light(record, calendar=self.calendar)
        return Light(value).label if value else ""


class DemandCategoryTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name="类别")

    class Meta(BaseTable.Meta):
        model = DemandCategory
        fields = ("name", "group", "time_limit_workdays", "yellow_before_workdays", "order", "active")
        sequence = fields
