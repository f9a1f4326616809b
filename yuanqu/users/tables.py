import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable

from .models import AccountRequest, Department, ObjectPermission, User, Zone


class DepartmentTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Department
        fields = ("name", "short_name", "order")


class ZoneTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Zone
        fields = ("name", "kind", "parent", "code", "area_km2", "order")


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    locked = tables.BooleanColumn(accessor="is_locked", verbose_name="已锁定", orderable=False)

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "name", "role", "department", "zone", "enterprise", "is_active", "last_login")
        sequence = (*fields, "locked")


class ObjectPermissionTable(BaseTable):
    name = tables.Column(linkify=True)
    actions = tables.Column(accessor="actions_display", verbose_name="操作", orderable=False)
    model = tables.Column(accessor="model_display", verbose_name="对象", order_by=("model",))

    class Meta(BaseTable.Meta):
        model = ObjectPermission
        fields = ("name", "enabled", "role", "user", "model", "actions", "constraint", "is_default")


class AccountRequestTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="编号")
    account = tables.Column(accessor="account__username", verbose_name="账号")

    class Meta(BaseTable.Meta):
        model = AccountRequest
        fields = ("id", "kind", "account", "requested_by", "created", "status", "decided_by", "decided_at")
