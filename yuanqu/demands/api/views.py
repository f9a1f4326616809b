from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.api import RestrictedViewSetMixin
from yuanqu.utilities.grants import OutsideGrant, ensure_within_grant, get_for_action

from .. import services
from ..choices import Channel, DemandAction
from ..filtersets import DemandFilterSet
from ..forms import DemandForm, PortalDemandForm
from ..models import Demand
from ..views import ACTION_VIEWS, may_take_step
from . import serializers

# A demand's handling record is part of the demand (as on its page): whoever sees the demand
# sees its events.
DEMANDS = Demand.objects.select_related("category", "enterprise").prefetch_related(
    "supporting_departments", "events"
)
OUTSIDE_INTAKE = "该企业不在您的受理范围内，未保存。"


class CanViewDemands(BasePermission):
    """A workflow step needs a view grant to reach the endpoint; the step then fetches the
    demand through its own grant (404 outside it) and checks the holder (403)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and has_perm(user, Demand, "view"))


def form_errors(form) -> dict:
    return {("non_field_errors" if name == "__all__" else name): errs for name, errs in form.errors.items()}


@extend_schema_view(
    list=extend_schema(
        summary="诉求列表", description="筛选条件与诉求列表页相同；企业用户只看到本企业的诉求。"
    ),
    retrieve=extend_schema(summary="诉求详情"),
)
class DemandViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """企业诉求：受理与交办、签收、答复，企业确认办结或要求重新办理（企业无账号时承办人回访）等办理步骤（与页面相同的流程与权限）。"""

    queryset = DEMANDS
    serializer_class = serializers.DemandSerializer
    filterset_class = DemandFilterSet

    @extend_schema(
        summary="受理诉求",
        description="与“受理诉求”页面相同：部门人员和网格员为其可查看的企业受理；企业用户只能为本企业提交"
        "（企业与渠道自动填写）。办理期限按类别时限在工作日历上计算。",
        request=serializers.IntakeSerializer,
        responses={201: serializers.DemandSerializer},
    )
    def create(self, request):
        user = request.user
        form_class = PortalDemandForm if user.role == Role.ENTERPRISE else DemandForm
        form = form_class(data=request.data, user=user)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        data = dict(form.cleaned_data)
        data.pop("attachments", None)  # files are uploaded on the demand's page
        if user.role == Role.ENTERPRISE:
            data.update(enterprise=user.enterprise, channel=Channel.PORTAL)
        try:
            with transaction.atomic():
                demand = services.receive(user, **data)
                ensure_within_grant(demand, user, "add")
        except OutsideGrant:
            raise PermissionDenied(OUTSIDE_INTAKE) from None
        except services.DemandError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from None
        return Response(self.get_serializer(DEMANDS.get(pk=demand.pk)).data, status=status.HTTP_201_CREATED)

    def act(self, request, pk, step):
        """One workflow step, as the page's action view takes it."""
        user = request.user
        label = DemandAction(step).label
        demand = get_for_action(
            DEMANDS,
            pk,
            user,
            allowed=lambda demand: may_take_step(user, demand, step),
            message=lambda demand: (
                f"您不能对诉求{demand.number}执行“{label}”"
                f"（当前状态“{demand.get_status_display()}”，承办：{demand.holder_display}）"
            ),
        )
        form = ACTION_VIEWS[step].form(data=request.data, user=user, demand=demand)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        try:
            services.STEPS[step](demand, user, **form.step_kwargs())
        except services.NotHolder as exc:
            raise PermissionDenied(str(exc)) from None
        except services.DemandError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from None
        visible = restrict(DEMANDS.filter(pk=demand.pk), user, "view").first()
        if visible is None:  # e.g. handed to a department the user does not see
            return Response({"detail": f"诉求{demand.number}已{label}。"})
        return Response(self.get_serializer(visible).data)


def step_endpoint(step):
    """POST /api/demands/{id}/<step>/: the body is the page form's fields."""
    label = DemandAction(step).label
    body = serializers.form_serializer(
        ACTION_VIEWS[step].form, f"Demand{step.title().replace('_', '')}Request"
    )

    def endpoint(self, request, pk=None):
        return self.act(request, pk, step)

    endpoint.__name__ = f"{step}_step"
    endpoint = action(
        detail=True,
        methods=["post"],
        url_path=step.replace("_", "-"),
        url_name=step.replace("_", "-"),
        permission_classes=[CanViewDemands],
        serializer_class=serializers.DemandSerializer,
    )(endpoint)
    return extend_schema(
        summary=f"{label}诉求",
        description=f"诉求办理步骤“{label}”，与诉求页面上的操作相同：只有当前承办人（或规定的角色）可以执行，"
        "否则 403；超出权限范围的诉求 404。成功后返回诉求。",
        request=body,
        responses={200: serializers.DemandSerializer},
    )(endpoint)


for _step in ACTION_VIEWS:
    setattr(DemandViewSet, f"{_step}_step", step_endpoint(_step))
