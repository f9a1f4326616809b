from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from yuanqu.users.models import Zone
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.api import RestrictedViewSetMixin

from ..filtersets import (
    EnterpriseMonthlyValueFilterSet,
    IndicatorFilterSet,
    ZoneMonthlyFigureFilterSet,
)
from ..models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from ..services import as_json_row, indicator_summary, parse_period
from . import serializers


@extend_schema_view(
    list=extend_schema(summary="经济指标列表"), retrieve=extend_schema(summary="经济指标详情")
)
class IndicatorViewSet(RestrictedViewSetMixin, ReadOnlyModelViewSet):
    """经济指标目录（只读）。"""

    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet


class VersionedViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    """List, read and add reports; a correction is POSTed as a new version with ``reason``."""


@extend_schema_view(
    list=extend_schema(
        summary="企业月报数据列表",
        description="默认只返回当前版本（all_versions=true 含历史版本）；可按月份、指标、企业、片区筛选。",
    ),
    retrieve=extend_schema(summary="企业月报数据详情"),
    create=extend_schema(
        summary="报送企业月报数据",
        description="当月值与累计值填一项即可；该月已有数据时作为新版本保存，须填写 reason。锁定月份拒绝。",
    ),
)
class EnterpriseMonthlyValueViewSet(VersionedViewSet):
    """企业月报数据。"""

    queryset = EnterpriseMonthlyValue.objects.select_related("reported_by")
    serializer_class = serializers.EnterpriseMonthlyValueSerializer
    filterset_class = EnterpriseMonthlyValueFilterSet


@extend_schema_view(
    list=extend_schema(summary="园区月度数据列表", description="默认只返回当前版本。"),
    retrieve=extend_schema(summary="园区月度数据详情"),
    create=extend_schema(
        summary="录入园区月度数据", description="该月已有数据时作为新版本保存，须填写 reason。"
    ),
)
class ZoneMonthlyFigureViewSet(VersionedViewSet):
    """园区/片区月度数据（GDP、固定资产投资等）。"""

    queryset = ZoneMonthlyFigure.objects.select_related("reported_by")
    serializer_class = serializers.ZoneMonthlyFigureSerializer
    filterset_class = ZoneMonthlyFigureFilterSet


class IndicatorSummaryView(APIView):
    """每个指标某月的当月值、累计、同口径基数、增速、目标、完成率、序时进度和进度差，
    与 ``yuanqu indicators --json`` 的行相同，只计入您有权查看的数据。"""

    @extend_schema(
        summary="指标汇总",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, required=True, description="月份，如 2023-10"),
            OpenApiParameter("zone", OpenApiTypes.INT, required=False, description="片区编号（默认全园区）"),
        ],
        responses=serializers.IndicatorSummaryRowSerializer(many=True),
    )
    def get(self, request):
        user = request.user
        if not (has_perm(user, EnterpriseMonthlyValue, "view") or has_perm(user, ZoneMonthlyFigure, "view")):
            raise PermissionDenied("没有查看经济运行数据的权限")
        try:
            period = parse_period(request.query_params.get("period", ""))
        except ValidationError as exc:
            raise APIValidationError({"period": exc.messages}) from None
        zone = None
        zone_id = request.query_params.get("zone") or ""
        if zone_id:
            zone = Zone.objects.filter(pk=zone_id).first() if zone_id.isdigit() else None
            if zone is None:
                raise APIValidationError({"zone": [f"片区“{zone_id}”不存在"]})
        rows = indicator_summary(
            period,
            zone,
            values=restrict(EnterpriseMonthlyValue.objects.all(), user, "view"),
            figures=restrict(ZoneMonthlyFigure.objects.all(), user, "view"),
        )
        return Response([as_json_row(row) for row in rows])
