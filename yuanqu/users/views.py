from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from yuanqu.core.changelog import audit
from yuanqu.utilities import views as generic
from yuanqu.utilities.grants import get_for_action

from . import accounts
from .choices import ADMIN_ROLES, RequestStatus, Role
from .filtersets import (
    AccountRequestFilterSet,
    DepartmentFilterSet,
    ObjectPermissionFilterSet,
    UserFilterSet,
    ZoneFilterSet,
)
from .forms import DepartmentForm, ObjectPermissionForm, SecurityUserForm, UserForm, ZoneForm
from .models import AccountRequest, Department, ObjectPermission, User, Zone
from .permissions import can, has_perm, restrict
from .tables import AccountRequestTable, DepartmentTable, ObjectPermissionTable, UserTable, ZoneTable


class DepartmentListView(generic.ObjectListView):
    queryset = Department.objects.all()
    filterset = DepartmentFilterSet
    table = DepartmentTable


class DepartmentView(generic.ObjectView):
    queryset = Department.objects.all()


class DepartmentEditView(generic.ObjectEditView):
    queryset = Department.objects.all()
    form = DepartmentForm


class DepartmentDeleteView(generic.ObjectDeleteView):
    queryset = Department.objects.all()


class ZoneListView(generic.ObjectListView):
    queryset = Zone.objects.select_related("parent")
    filterset = ZoneFilterSet
    table = ZoneTable


class ZoneView(generic.ObjectView):
    queryset = Zone.objects.all()


class ZoneEditView(generic.ObjectEditView):
    queryset = Zone.objects.all()
    form = ZoneForm


class ZoneDeleteView(generic.ObjectDeleteView):
    queryset = Zone.objects.all()


class UserListView(generic.ObjectListView):
    queryset = User.objects.select_related("department", "zone", "enterprise")
    filterset = UserFilterSet
    table = UserTable


class UserView(generic.ObjectView):
    queryset = User.objects.select_related("department", "zone", "enterprise")
    template_name = "users/user.html"

    def extra_context(self, obj):
        requests = restrict(AccountRequest.objects.filter(account=obj), self.request.user, "view")
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return {
            "can_unlock": can(self.request.user, obj, "unlock"),
            "otp_bound": TOTPDevice.objects.filter(user=obj, confirmed=True).exists(),
            "pending_requests": list(requests.filter(status=RequestStatus.PENDING)),
        }


class UserEditView(generic.ObjectEditView):
    """三权分立 on accounts: nobody edits their own account here; the system administrator
    (or anyone else holding the user grant) keeps non-administrator accounts; the security
    administrator sets roles and activation only."""

    queryset = User.objects.all()
    form = UserForm

    def get_object(self, pk):
        obj = super().get_object(pk)
        editor = self.request.user
        if obj.pk == editor.pk:
            raise PermissionDenied("不能在此修改自己的账号；修改密码请使用“修改密码”")
        if editor.role != Role.SECADMIN and obj.pk and obj.role in ADMIN_ROLES:
            raise PermissionDenied("管理员账号的角色由安全管理员设置，其他人不能修改")
        if editor.role == Role.SECADMIN and obj.pk is None:
            raise PermissionDenied("安全管理员不能新建账号")
        return obj

    def get_form_class(self):
        return SecurityUserForm if self.request.user.role == Role.SECADMIN else UserForm

    def saved_message(self, saved, is_new) -> str:
        message = super().saved_message(saved, is_new)
        request = getattr(saved, "_account_request", None)
        if request is not None:
            message += f"{request.get_kind_display()}已提交安全管理员审批，批准后密码生效。"
        return message


class ObjectPermissionListView(generic.ObjectListView):
    queryset = ObjectPermission.objects.select_related("user")
    filterset = ObjectPermissionFilterSet
    table = ObjectPermissionTable


class ObjectPermissionView(generic.ObjectView):
    queryset = ObjectPermission.objects.all()


class ObjectPermissionEditView(generic.ObjectEditView):
    queryset = ObjectPermission.objects.all()
    form = ObjectPermissionForm


class ObjectPermissionDeleteView(generic.ObjectDeleteView):
    queryset = ObjectPermission.objects.all()

    def post(self, request, pk):
        permission = get_object_or_404(self.restricted("delete"), pk=pk)
        if permission.protects_audit():
            messages.error(request, "审计员的审计记录授权不能撤销（三权分立）。")
            return redirect(permission.get_absolute_url())
        return super().post(request, pk)


class AccountRequestListView(generic.ObjectListView):
    queryset = AccountRequest.objects.select_related("account", "requested_by", "decided_by")
    filterset = AccountRequestFilterSet
    table = AccountRequestTable


class AccountRequestView(generic.ObjectView):
    queryset = AccountRequest.objects.select_related("account", "requested_by", "decided_by")
    template_name = "users/accountrequest.html"

    def extra_context(self, obj):
        user = self.request.user
        may_decide = (
            obj.status == RequestStatus.PENDING
            and user.role == Role.SECADMIN
            and user.pk not in (obj.requested_by_id, obj.account_id)
            and can(user, obj, "change")
        )
        return {"may_decide": may_decide}


def _decide(request, pk, decision):
    """Approve or reject a pending account request: the security administrator's step."""
    if request.user.role != Role.SECADMIN:
        raise PermissionDenied("只有安全管理员可以审批账号申请")
    account_request = get_for_action(
        AccountRequest, pk, request.user, "change", message="没有审批账号申请的权限"
    )
    try:
        if decision == "approve":
            accounts.approve(account_request, request.user)
            messages.success(request, f"已批准{account_request}，密码已生效，用户首次登录须修改密码。")
        else:
            accounts.reject(account_request, request.user, request.POST.get("reason", ""))
            messages.success(request, f"已驳回{account_request}。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(account_request.get_absolute_url())


@require_POST
def approve_request(request, pk):
    return _decide(request, pk, "approve")


@require_POST
def reject_request(request, pk):
    return _decide(request, pk, "reject")


@require_POST
def unlock_user(request, pk):
    """The security administrator lifts a lockout before it ends (the ``unlock`` grant)."""
    if not has_perm(request.user, User, "unlock"):
        raise PermissionDenied("没有解除锁定的权限")
    user = get_for_action(User, pk, request.user, "unlock", message="没有解除锁定的权限")
    User.objects.filter(pk=user.pk).update(locked_until=None, failed_login_count=0)
    audit("unlock", detail=f"解除用户 {user.username} 的锁定", data={"target": user.username})
    messages.success(request, f"已解除 {user} 的锁定。")
    return redirect(user.get_absolute_url())


@require_POST
def reset_otp(request, pk):
    """The security administrator unbinds a lost authenticator (the ``unlock`` grant): the
    user binds a new one at the next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not has_perm(request.user, User, "unlock"):
        raise PermissionDenied("没有重置动态口令的权限")
    user = get_for_action(User, pk, request.user, "unlock", message="没有重置动态口令的权限")
    if user.pk == request.user.pk:
        raise PermissionDenied("不能重置自己的动态口令")
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    audit(
        "unlock",
        detail=f"重置用户 {user.username} 的动态口令验证器",
        data={"target": user.username, "otp": removed},
    )
    messages.success(request, f"已重置 {user} 的动态口令验证器，其下次登录时重新绑定。")
    return redirect(user.get_absolute_url())


def my_token(request):
    """A user's own API token: shown once when created, replaced on request; it ends after
    ``YUANQU_API_TOKEN_DAYS`` and when the password changes (yuanqu.users.tokens)."""
    from .tokens import expires_at

    token = None
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        audit("token_created", detail="生成新的接口令牌")
    current = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        "has_token": current is not None,
        "expires": expires_at(current) if current else None,
    }
    return render(request, "users/token.html", context)
