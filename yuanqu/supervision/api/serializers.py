from rest_framework import serializers

from yuanqu.core.workdays import CalendarMissing, WorkCalendar
from yuanqu.utilities.api import RestrictedPrimaryKeyRelatedField

from .. import services
from ..forms import TaskForm, TaskReportForm
from ..models import RectificationItem, Task, TaskReport


def form_errors(form) -> dict:
    return {("non_field_errors" if name == "__all__" else name): errs for name, errs in form.errors.items()}


class TaskSerializer(serializers.ModelSerializer):
    """一项督办任务；写入时按任务编辑页的表单校验（完成时限可写“6月底前完成”）。
    light 为今日亮灯（已完成或取消的任务为 null）。"""

    url = serializers.HyperlinkedIdentityField(view_name="supervision-api:task-detail")
    light = serializers.SerializerMethodField(label="亮灯")

    class Meta:
        model = Task
        # The page's form decides what a task's editable facts are.
        fields = ["id", "url", *TaskForm.Meta.fields, "light", "created", "last_updated"]

    def get_light(self, task) -> str | None:
        calendar = self.context.setdefault("calendar", WorkCalendar())  # one per response
        try:
            return services.light(task, calendar=calendar)
        except CalendarMissing:
            return None


class TaskReportSerializer(serializers.ModelSerializer):
    """任务的一次进展报告；只增不改，更正即再报一次。"""

    task = RestrictedPrimaryKeyRelatedField(queryset=Task.objects.all(), label="任务")

    class Meta:
        model = TaskReport
        fields = [
            "id",
            "task",
            "reported_on",
            "percent",
            "progress",
            "problems",
            "next_step",
            "reporter",
            "created",
        ]
        read_only_fields = ["reporter"]

    def validate(self, attrs):
        # The same checks as the task page's report form.
        form = TaskReportForm(data=self.initial_data, user=self.context["request"].user)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return attrs

    def create(self, validated_data):
        return super().create({**validated_data, "reporter": self.context["request"].user})


class RectificationItemSerializer(serializers.ModelSerializer):
    """整改清单中的一项；销号与回头看在页面上办理。"""

    url = serializers.HyperlinkedIdentityField(view_name="supervision-api:rectificationitem-detail")

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "url",
            "list_name",
            "number",
            "problem",
            "requirement",
            "measures",
            "department",
            "due_on",
            "evidence",
            "evidence_file",
            "closed_on",
            "created",
            "last_updated",
        ]
