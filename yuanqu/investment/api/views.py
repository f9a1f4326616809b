from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.viewsets import ModelViewSet, ReadOnlyModelViewSet

from yuanqu.users.permissions import has_perm
from yuanqu.utilities.api import RestrictedViewSetMixin
from yuanqu.utilities.grants import get_for_action

from .. import services
from ..filtersets import LeadFilterSet
from ..models import FundsInPlace, Lead, LeadEvent, TalentIntroduction
from . import serializers


class CanView(BasePermission):
    """For a POST action on a record: the user needs a view grant to reach it at all; the
    action itself checks its own grant (403) on the record found (404 outside the view grant)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and has_perm(user, view.queryset.model, "view"))


@extend_schema_view(
    list=extend_schema(summary="招商项目列表", description="筛选条件与招商项目列表页相同。"),
    retrieve=extend_schema(summary="招商项目详情"),
    create=extend_schema(summary="新建招商项目", description="新项目处于“线索”阶段，并记录一条阶段变更。"),
    update=extend_schema(summary="修改招商项目", description="阶段不能直接修改，请用 move 操作。"),
    partial_update=extend_schema(summary="修改招商项目（部分字段）"),
    destroy=extend_schema(summary="删除招商项目"),
)
class LeadViewSet(RestrictedViewSetMixin, ModelViewSet):
    """招商项目（线索→洽谈→签约→注册落地→开工→竣工投产）。"""

    queryset = Lead.objects.select_related("department").prefetch_related("team")
    serializer_class = serializers.LeadSerializer
    filterset_class = LeadFilterSet

    def get_serializer_class(self):
        return serializers.MoveSerializer if self.action == "move" else super().get_serializer_class()

    @extend_schema(
        summary="变更阶段",
        description="与看板相同的阶段变更：下一阶段无需原因；跳过阶段、退回或终止须填写原因。"
        "成功后返回变更后的招商项目。",
        request=serializers.MoveSerializer,
        responses={200: serializers.LeadSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[CanView])
    def move(self, request, pk=None):
        user = request.user
        lead = get_for_action(
            Lead, pk, user, "change", message=lambda lead: f"您不能变更招商项目“{lead}”的阶段"
        )
        data = serializers.MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.move_stage(
                lead,
                data.validated_data["stage"],
                user,
                data.validated_data.get("date"),
                data.validated_data.get("reason", ""),
            )
        except services.StageError as exc:
            return Response({"stage": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        lead = self.queryset.get(pk=lead.pk)
        return Response(serializers.LeadSerializer(lead, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="阶段变更记录列表", description="可按招商项目（lead）和新阶段（to_stage）筛选。"
    ),
    retrieve=extend_schema(summary="阶段变更记录详情"),
)
class LeadEventViewSet(RestrictedViewSetMixin, ReadOnlyModelViewSet):
    """招商项目的阶段变更记录（只读，由阶段变更写入）。"""

    queryset = LeadEvent.objects.all()
    serializer_class = serializers.LeadEventSerializer
    filterset_fields = ["lead", "to_stage"]


@extend_schema_view(
    list=extend_schema(summary="到位资金列表", description="可按招商项目（lead）和资金类别（kind）筛选。"),
    retrieve=extend_schema(summary="到位资金详情"),
    create=extend_schema(summary="登记到位资金"),
    update=extend_schema(summary="修改到位资金"),
    partial_update=extend_schema(summary="修改到位资金（部分字段）"),
    destroy=extend_schema(summary="删除到位资金"),
)
class FundsInPlaceViewSet(RestrictedViewSetMixin, ModelViewSet):
    """招商项目的实际到位资金（万元）。"""

    queryset = FundsInPlace.objects.all()
    serializer_class = serializers.FundsInPlaceSerializer
    filterset_fields = ["lead", "kind"]


@extend_schema_view(
    list=extend_schema(summary="人才引进列表", description="可按招商项目（lead）和人才层次（tier）筛选。"),
    retrieve=extend_schema(summary="人才引进详情"),
    create=extend_schema(summary="登记人才引进"),
    update=extend_schema(summary="修改人才引进"),
    partial_update=extend_schema(summary="修改人才引进（部分字段）"),
    destroy=extend_schema(summary="删除人才引进"),
)
class TalentIntroductionViewSet(RestrictedViewSetMixin, ModelViewSet):
    """招商项目引进的人才。"""

    queryset = TalentIntroduction.objects.all()
    serializer_class = serializers.TalentIntroductionSerializer
    filterset_fields = ["lead", "tier"]
