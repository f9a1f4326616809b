import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable

from .changelog import SOURCE_LABELS, people_by_id, person_name
from .models import AuditEvent, CalendarDay, CalendarYear, ObjectChange


class PeopleMixin:
    """Who acted, by the person's name, looked up once for the whole page of records."""

    _people = None

    def _person(self, record):
        if self._people is None:
            rows = self.page.object_list if getattr(self, "page", None) else self.data
            self._people = people_by_id(getattr(getattr(r, "record", r), "user_id", None) for r in rows)
        return person_name(record, self._people)

    def render_user_name(self, record):
        return self._person(record)

    def value_user_name(self, record):
        return self._person(record)

    def render_source(self, value):
        return SOURCE_LABELS.get(value, value)

    def value_source(self, value):
        return SOURCE_LABELS.get(value, value)


class ObjectChangeTable(PeopleMixin, BaseTable):
    time = tables.DateTimeColumn(format="Y-m-d H:i", linkify=True)
    user_name = tables.Column(verbose_name="操作人", empty_values=())
    content_type = tables.Column(verbose_name="对象类型", accessor="content_type")
    source = tables.Column(verbose_name="途径")

    class Meta(BaseTable.Meta):
        model = ObjectChange
        fields = ("time", "user_name", "action", "content_type", "object_repr", "source", "ip", "request_id")

    def render_content_type(self, value):
        model = value.model_class()
        return str(model._meta.verbose_name) if model is not None else value.model

    def value_content_type(self, value):
        return self.render_content_type(value)


class AuditEventTable(PeopleMixin, BaseTable):
    time = tables.DateTimeColumn(format="Y-m-d H:i")
    user_name = tables.Column(verbose_name="用户", empty_values=())
    source = tables.Column(verbose_name="途径")

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
