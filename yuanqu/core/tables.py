import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable

from .models import AuditEvent, ObjectChange


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
