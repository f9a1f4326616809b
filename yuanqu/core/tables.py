import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable

from .models import AuditEvent, CalendarDay, CalendarYear, ObjectChange


class ObjectChangeTable(BaseTable):
    time = tables.DateTimeColumn(format="Y-m-d H:i:s", linkify=True)
    content_type = tables.Column(verbose_name="对象类型", accessor="content_type__name")

    class Meta(BaseTable.Meta):
        model = ObjectChange
        fields = ("time", "user_name", "action", "content_type", "object_repr", "source", "ip", "request_id")


class AuditEventTable(BaseTable):
    time = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta(BaseTable.Meta):
        model = AuditEvent
        fields = ("time", "kind", "user_name", "detail", "ip", "source", "user_agent")


WEEKDAYS = "一二三四五六日"


class CalendarDayTable(BaseTable):
    date = tables.DateColumn(format="Y-m-d", linkify=True)
    weekday = tables.Column(accessor="date", verbose_name="星期", orderable=False)
    is_workday = tables.BooleanColumn(verbose_name="工作日")

    class Meta(BaseTable.Meta):
        model = CalendarDay
        fields = ("date", "weekday", "is_workday", "kind", "name", "notes")

    def render_weekday(self, value):
        return f"星期{WEEKDAYS[value.weekday()]}"

    def value_weekday(self, value):
        return self.render_weekday(value)


class CalendarYearTable(BaseTable):
    year = tables.Column(linkify=True)
    complete = tables.BooleanColumn(verbose_name="已完整录入")

    class Meta(BaseTable.Meta):
        model = CalendarYear
        fields = ("year", "complete", "notes", "last_updated")
