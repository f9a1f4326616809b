from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yuanqu.core.workdays import CalendarMissing
from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.utilities.api import RestrictedPrimaryKeyRelatedField, ValidatedModelSerializer
from yuanqu.utilities.periods import parse_period

from .. import services
from ..models import Blocker, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2024-10"})
class PeriodField(serializers.Field):
    """A month as “2024-10” (stored as its first day)."""

    default_error_messages = {"invalid": "{message}"}

    def to_internal_value(self, data):
        try:
            return parse_period(data)
        except DjangoValidationError as exc:
            self.fail("invalid", message=exc.messages[0])

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class StatusSerializer(serializers.Serializer):
    """项目某月的亮灯与投资进度（由亮灯规则计算）。"""

    period = serializers.CharField(label="月份")
    light = serializers.CharField(allow_null=True, label="亮灯", help_text="green / yellow / red")
    light_label = serializers.CharField(allow_null=True, label="亮灯名称")
    reasons = serializers.ListField(child=serializers.CharField(), label="亮灯原因")
    annual_plan_wan = serializers.DecimalField(14, 2, allow_null=True, label="年度计划投资（万元）")
    ytd_wan = serializers.DecimalField(14, 2, label="1–N月累计完成投资（万元）")
    completion = serializers.DecimalField(9, 4, allow_null=True, label="完成年度计划比例")
    time_progress = serializers.DecimalField(9, 4, label="序时进度")
    error = serializers.CharField(allow_blank=True, label="无法计算时的原因")


def project_status(project, period) -> dict:
    """The light and YTD of the month from the project services (an error text instead of a
    light when the rules or the calendar do not allow one)."""
    status = {"period": f"{period:%Y-%m}", "light": None, "light_label": None, "reasons": [], "error": ""}
    status.update(annual_plan_wan=None, completion=None, time_progress=None)
    status["ytd_wan"] = services.ytd(project, period)
    try:
        result = services.light(project, period)
    except DjangoValidationError as exc:
        status["error"] = exc.messages[0]
        return status
    except CalendarMissing as exc:
        status["error"] = str(exc)
        return status
    status.update(
        light=str(result.light),
        light_label=result.label,
        reasons=result.reasons,
        annual_plan_wan=result.annual_plan,
        completion=result.completion,
        time_progress=result.time_progress,
    )
    return status


class KeyProjectSerializer(ValidatedModelSerializer):
    """重点项目。"""

    url = serializers.HyperlinkedIdentityField(view_name="projects-api:keyproject-detail")
    leader = RestrictedPrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.LEADER, is_active=True),
        required=False,
        allow_null=True,
        label="包保领导",
    )

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "url",
            "code",
            "name",
            "enterprise",
            "type",
            "total_investment_wan",
            "fai_registered",
            "fai_registered_on",
            "leader",
            "department",
            "liaison",
            "image_progress",
            "comments",
            "created",
            "last_updated",
        ]
        extra_kwargs = {"department": {"required": False, "help_text": "新建时默认为当前用户的部门"}}

    def validate(self, attrs):
        if self.instance is None and attrs.get("department") is None:
            attrs["department"] = self.context["request"].user.department
        return super().validate(attrs)


class KeyProjectDetailSerializer(KeyProjectSerializer):
    """重点项目，含所选月份（默认上一个完整月份）的亮灯与1–N月累计完成投资。"""

    status = serializers.SerializerMethodField(label="亮灯与投资进度")

    class Meta(KeyProjectSerializer.Meta):
        fields = [*KeyProjectSerializer.Meta.fields, "status"]

    @extend_schema_field(StatusSerializer)
    def get_status(self, project):
        return StatusSerializer(project_status(project, self.context["period"])).data


class ProjectYearPlanSerializer(ValidatedModelSerializer):
    """项目在某年某级重点项目清单上的年度计划投资。"""

    class Meta:
        model = ProjectYearPlan
        fields = ["id", "project", "year", "level", "annual_plan_wan", "created", "last_updated"]


class MilestoneSerializer(ValidatedModelSerializer):
    """项目节点（拿地、开工……）的计划与实际日期。"""

    class Meta:
        model = Milestone
        fields = ["id", "project", "kind", "planned_on", "actual_on", "created", "last_updated"]


class BlockerSerializer(ValidatedModelSerializer):
    """项目堵点及其责任部门、解决时限。"""

    class Meta:
        model = Blocker
        fields = [
            "id",
            "project",
            "kind",
            "description",
            "owner_department",
            "deadline",
            "resolved_on",
            "demand",
            "created",
            "last_updated",
        ]
        read_only_fields = ["demand"]


class MonthlyProgressSerializer(serializers.ModelSerializer):
    """项目月报的一个版本；新建即新版本（已填报月份须填写更正原因），旧版本保留。"""

    project = RestrictedPrimaryKeyRelatedField(queryset=KeyProject.objects.all(), label="项目")
    period = PeriodField(label="月份", help_text="年-月，如 2024-10")
    ytd_wan = serializers.SerializerMethodField(
        label="1–N月累计完成投资（万元）", help_text="该年1月至该月各月当前版本之和"
    )

    class Meta:
        model = MonthlyProgress
        fields = [
            "id",
            "project",
            "period",
            "month_investment_wan",
            "physical_progress",
            "problems",
            "version",
            "is_current",
            "reason",
            "reported_by",
            "ytd_wan",
            "created",
        ]
        read_only_fields = ["version", "is_current", "reported_by"]
        validators = []  # the version is the service's to number (record_version)

    def create(self, validated_data):
        try:
            return services.record_progress(
                validated_data["project"],
                validated_data["period"],
                month_investment_wan=validated_data["month_investment_wan"],
                physical_progress=validated_data.get("physical_progress", ""),
                problems=validated_data.get("problems", ""),
                reason=validated_data.get("reason", ""),
                user=self.context["request"].user,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from None

    @extend_schema_field(serializers.DecimalField(14, 2))
    def get_ytd_wan(self, progress) -> str:
        # A list annotates it in one query (views.ytd_subquery); a report just recorded asks
        # the service.
        value = getattr(progress, "ytd", None)
        if value is None:
            value = services.ytd(progress.project, progress.period)
        return f"{value:.2f}"
