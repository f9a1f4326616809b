from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.viewsets import GenericViewSet, ModelViewSet

from yuanqu.utilities.api import RestrictedViewSetMixin
from yuanqu.utilities.periods import last_complete_month, parse_period

from ..filtersets import KeyProjectFilterSet
from ..models import Blocker, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan
from . import serializers

PERIOD = OpenApiParameter(
    "period", OpenApiTypes.STR, description="月份（如 2024-10），默认为上一个完整月份", required=False
)


class PeriodFilterBackend(DjangoFilterBackend):
    """The project book's filterset computes lights for the view's month."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "period": view.period()}


@extend_schema_view(
    list=extend_schema(
        summary="重点项目列表",
        description="筛选条件与重点项目列表页相同；级别与亮灯按所选月份（period）计算。",
    ),
    retrieve=extend_schema(
        summary="重点项目详情", description="含所选月份的亮灯与1–N月累计完成投资。", parameters=[PERIOD]
    ),
    create=extend_schema(summary="新建重点项目", description="责任部门缺省为当前用户的部门。"),
    update=extend_schema(summary="修改重点项目"),
    partial_update=extend_schema(summary="修改重点项目（部分字段）"),
    destroy=extend_schema(summary="删除重点项目"),
)
class KeyProjectViewSet(RestrictedViewSetMixin, ModelViewSet):
    """重点项目库。"""

    queryset = KeyProject.objects.select_related("department")
    serializer_class = serializers.KeyProjectSerializer
    filterset_class = KeyProjectFilterSet
    filter_backends = [PeriodFilterBackend]

    def period(self):
        """The month asked for (?period=2024-10), else the last complete month."""
        text = (self.request.query_params.get("period") or "").strip()
        if not text:
            return last_complete_month()
        try:
            return parse_period(text)
        except DjangoValidationError as exc:
            raise ValidationError({"period": exc.messages}) from None

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.KeyProjectDetailSerializer
        return super().get_serializer_class()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "action", None) == "retrieve":
            context["period"] = self.period()
        return context


def ytd_subquery():
    """1–N月累计 of each report's month, as services.ytd sums it: the current versions of the
    project from January to that month."""
    months = (
        MonthlyProgress.objects.filter(
            project=OuterRef("project"),
            is_current=True,
            period__year=ExtractYear(OuterRef("period")),
            period__lte=OuterRef("period"),
        )
        .order_by()
        .values("project")
        .annotate(total=Sum("month_investment_wan"))
        .values("total")
    )
    return Coalesce(Subquery(months), Decimal(0))


@extend_schema_view(
    list=extend_schema(
        summary="项目月报列表", description="可按项目、月份、是否当前版本（is_current）筛选；含旧版本。"
    ),
    retrieve=extend_schema(summary="项目月报详情"),
    create=extend_schema(
        summary="填报项目月报",
        description="每次提交都是新版本：某月已有月报时须填写更正原因（reason），旧版本保留。",
    ),
)
class MonthlyProgressViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    """项目月报（版本化，只增不改）。"""

    queryset = MonthlyProgress.objects.select_related("project")
    serializer_class = serializers.MonthlyProgressSerializer
    filterset_fields = ["project", "period", "is_current"]

    def get_queryset(self):
        return super().get_queryset().annotate(ytd=ytd_subquery())


def child_schema(name):
    return extend_schema_view(
        list=extend_schema(summary=f"{name}列表", description="可按项目（project）筛选。"),
        retrieve=extend_schema(summary=f"{name}详情"),
        create=extend_schema(summary=f"新建{name}"),
        update=extend_schema(summary=f"修改{name}"),
        partial_update=extend_schema(summary=f"修改{name}（部分字段）"),
        destroy=extend_schema(summary=f"删除{name}"),
    )


@child_schema("项目年度计划")
class ProjectYearPlanViewSet(RestrictedViewSetMixin, ModelViewSet):
    """项目的年度计划（每年每级清单一条）。"""

    queryset = ProjectYearPlan.objects.select_related("project")
    serializer_class = serializers.ProjectYearPlanSerializer
    filterset_fields = ["project", "year", "level"]


@child_schema("项目节点")
class MilestoneViewSet(RestrictedViewSetMixin, ModelViewSet):
    """项目节点。"""

    queryset = Milestone.objects.select_related("project")
    serializer_class = serializers.MilestoneSerializer
    filterset_fields = ["project", "kind"]


@child_schema("项目堵点")
class BlockerViewSet(RestrictedViewSetMixin, ModelViewSet):
    """项目堵点（要素保障问题）。"""

    queryset = Blocker.objects.select_related("project")
    serializer_class = serializers.BlockerSerializer
    filterset_fields = ["project", "kind", "owner_department"]
