from django.db import transaction
from django.forms.models import model_to_dict
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from yuanqu.utilities.api import OUTSIDE_GRANT_ERROR, RestrictedViewSetMixin
from yuanqu.utilities.grants import OutsideGrant, ensure_within_grant

from ..filtersets import RectificationFilterSet, TaskFilterSet
from ..forms import TaskForm
from ..models import RectificationItem, Task, TaskReport
from . import serializers

TASKS = Task.objects.select_related("work_point", "department").prefetch_related("supporting_departments")


def current_values(task) -> dict:
    """The task's form values now, so that a PATCH changes only what it names."""
    values = model_to_dict(task, fields=TaskForm.Meta.fields)
    return {name: [o.pk for o in v] if isinstance(v, list) else v for name, v in values.items()}


@extend_schema_view(
    list=extend_schema(summary="督办任务列表", description="筛选条件与督办任务列表页相同（含亮灯）。"),
    retrieve=extend_schema(summary="督办任务详情"),
    create=extend_schema(
        summary="新建督办任务",
        description="按任务编辑页的表单校验；牵头单位须在您的权限范围内。"
        "新建时状态只读：新任务一律为“未开始”，请求中的 status、done_on 不生效。",
    ),
    update=extend_schema(summary="修改督办任务"),
    partial_update=extend_schema(summary="修改督办任务（部分字段）"),
)
class TaskViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """督办任务。任务不删除（在页面上取消并填写原因）。"""

    queryset = TASKS
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilterSet

    def create(self, request, *args, **kwargs):
        # The status is read-only on create: a new task starts in the initial status whatever
        # the request says, so a grant to add tasks is no grant to file them as done.
        data = request.data
        if isinstance(data, dict):  # a JSON object or a form (QueryDict); anything else is a 400 below
            data = data.copy()
            data["status"] = Task._meta.get_field("status").default
            data.pop("done_on", None)
        return self.save_form(Task(), data, "add", status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        task = self.get_object()  # 404 outside the change grant
        data = {**current_values(task), **request.data} if kwargs.get("partial") else request.data
        return self.save_form(task, data, "change", status.HTTP_200_OK)

    def save_form(self, task, data, action, status_code):
        """Validate and save through the page's task form; a result outside the grant rolls back."""
        form = TaskForm(data=data, instance=task, user=self.request.user)
        if not form.is_valid():
            raise ValidationError(serializers.form_errors(form))
        try:
            with transaction.atomic():
                if action == "change":
                    self.check_if_match(task)
                task = form.save()
                ensure_within_grant(task, self.request.user, action)
        except OutsideGrant:
            raise PermissionDenied(OUTSIDE_GRANT_ERROR) from None
        return Response(self.get_serializer(TASKS.get(pk=task.pk)).data, status=status_code)


@extend_schema_view(
    list=extend_schema(summary="任务进展报告列表", description="可按任务（task）筛选。"),
    retrieve=extend_schema(summary="任务进展报告详情"),
    create=extend_schema(
        summary="报送任务进展", description="只增不改：更正即再报送一次。报送人为当前用户。"
    ),
)
class TaskReportViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    """督办任务的进展报告（追加式）。"""

    queryset = TaskReport.objects.select_related("task")
    serializer_class = serializers.TaskReportSerializer
    filterset_fields = ["task"]


@extend_schema_view(
    list=extend_schema(summary="整改事项列表", description="筛选条件与整改清单列表页相同。"),
    retrieve=extend_schema(summary="整改事项详情"),
)
class RectificationItemViewSet(RestrictedViewSetMixin, ReadOnlyModelViewSet):
    """整改清单中的事项（只读）。"""

    queryset = RectificationItem.objects.all()
    serializer_class = serializers.RectificationItemSerializer
    filterset_class = RectificationFilterSet
