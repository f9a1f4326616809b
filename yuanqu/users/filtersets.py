import django_filters

from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import RequestStatus, Role
from .models import AccountRequest, Department, ObjectPermission, User, Zone


class DepartmentFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name")

    class Meta:
        model = Department
        fields = ["q"]


class ZoneFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Zone
        fields = ["q", "kind", "parent"]


class UserFilterSet(BaseFilterSet):
    search_fields = ("username", "name", "email")
    blind_search_fields = ("mobile",)  # exact, through the blind index
    role = django_filters.ChoiceFilter(choices=Role.choices, label="角色")

    class Meta:
        model = User
        fields = ["q", "role", "department", "is_active"]


class ObjectPermissionFilterSet(BaseFilterSet):
    search_fields = ("name", "description", "model")
    role = django_filters.ChoiceFilter(choices=Role.choices, label="角色")

    class Meta:
        model = ObjectPermission
        fields = ["q", "role", "enabled"]


class AccountRequestFilterSet(BaseFilterSet):
    search_fields = ("account__username", "account__name", "requested_by__username")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label="状态")

    class Meta:
        model = AccountRequest
        fields = ["q", "status", "kind"]
