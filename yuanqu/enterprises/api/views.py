from django.db.models import Exists, OuterRef, Prefetch, Value
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.viewsets import ModelViewSet

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.api import RestrictedViewSetMixin

from ..filtersets import EnterpriseFilterSet, QualificationFilterSet
from ..models import Contact, Enterprise, Qualification
from . import serializers

CONTACT_FIELDS = ("enterprise_id", "name", "position", "mobile")
QUALIFICATION_FIELDS = ("enterprise_id", "kind", "granted_on", "valid_until", "revoked_on")


@extend_schema_view(
    list=extend_schema(
        summary="企业列表", description="筛选条件与企业库列表页相同；只返回您有权查看的企业。"
    ),
    retrieve=extend_schema(summary="企业详情"),
    create=extend_schema(summary="新建企业", description="责任部门缺省为当前用户的部门。"),
    update=extend_schema(summary="修改企业"),
    partial_update=extend_schema(summary="修改企业（部分字段）"),
    destroy=extend_schema(summary="删除企业"),
)
class EnterpriseViewSet(RestrictedViewSetMixin, ModelViewSet):
    """企业库中的企业。联系人手机号在无“查看个人信息”权限时打码。"""

    queryset = Enterprise.objects.select_related("industry")
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = EnterpriseFilterSet

    def get_queryset(self):
        # Contacts and qualifications the user may view, fetched once for the whole page,
        # and whether the user may see each enterprise's personal data (unmasked mobiles).
        user = self.request.user
        if has_perm(user, Enterprise, "view_personal"):
            personal = Exists(restrict(Enterprise.objects.filter(pk=OuterRef("pk")), user, "view_personal"))
        else:
            personal = Value(False)
        return (
            super()
            .get_queryset()
            .prefetch_related(
                # Only the columns the serializer reads (no timestamps to convert per row).
                Prefetch(
                    "contacts",
                    restrict(Contact.objects.only(*CONTACT_FIELDS), user, "view"),
                    to_attr="visible_contacts",
                ),
                Prefetch(
                    "qualifications",
                    restrict(Qualification.objects.only(*QUALIFICATION_FIELDS), user, "view"),
                    to_attr="visible_qualifications",
                ),
            )
            .annotate(show_personal=personal)
        )


@extend_schema_view(
    list=extend_schema(summary="企业资质列表", description="可按企业、资质类型、有效日期（valid_on）筛选。"),
    retrieve=extend_schema(summary="企业资质详情"),
    create=extend_schema(summary="新建企业资质", description="有效期至留空时按资质类型推算。"),
    update=extend_schema(summary="修改企业资质"),
    partial_update=extend_schema(summary="修改企业资质（部分字段）"),
    destroy=extend_schema(summary="删除企业资质"),
)
class QualificationViewSet(RestrictedViewSetMixin, ModelViewSet):
    """企业资质（每次认定一条记录）；is_valid 为今日是否有效。"""

    queryset = Qualification.objects.select_related("enterprise")
    serializer_class = serializers.QualificationSerializer
    filterset_class = QualificationFilterSet
