"""The two-person rule on accounts (三权分立).

The system administrator keeps accounts, but the password of a business account (a leader,
staff, a grid worker …) — a new account's first one or a reset — is only asked for: an
``AccountRequest`` holds it, hashed, until the security administrator approves it. Only then
does the account get it, marked to be changed at the first login. Every step is an audit
event. Administrator accounts are made on the console (``yuanqu createadmin``).
"""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from yuanqu.core.changelog import audit

from .choices import RequestStatus, Role
from .models import AccountRequest, User


def request_password(account: User, raw_password: str, requested_by: User, kind: str) -> AccountRequest:
    """Ask for ``account`` to get this password; an earlier pending request for it lapses."""
    with transaction.atomic():
        for earlier in AccountRequest.objects.filter(account=account, status=RequestStatus.PENDING):
            earlier.status = RequestStatus.SUPERSEDED
            earlier.save()
        request = AccountRequest.objects.create(
            kind=kind, account=account, requested_by=requested_by, password=make_password(raw_password)
        )
        audit(
            "account_requested",
            user=requested_by,
            detail=f"申请{request.get_kind_display()}：{account.username}，待安全管理员批准",
            data={"request": request.pk, "account": account.username, "kind": kind},
        )
    return request


def _decide(request: AccountRequest, decider: User, status: str, reason: str = "") -> None:
    """Move a pending request to ``status`` once (inside the caller's transaction): the row is
    locked, so a second decision finds it decided."""
    if decider.role != Role.SECADMIN:
        raise PermissionDenied("只有安全管理员可以审批账号申请")
    if decider.pk in (request.requested_by_id, request.account_id):
        raise PermissionDenied("不能审批自己提出或与自己账号有关的申请")
    locked = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请{locked.get_status_display()}，不能再审批")
    locked.status, locked.decided_by, locked.decided_at, locked.reason = (
        status,
        decider,
        timezone.now(),
        reason[:200],
    )
    locked.save()
    request.refresh_from_db()


def approve(request: AccountRequest, decider: User) -> None:
    with transaction.atomic():
        _decide(request, decider, RequestStatus.APPROVED)
        account = User.objects.select_for_update().get(pk=request.account_id)
        account.password = request.password
        account.password_changed_at = timezone.now()
        account.must_change_password = True
        account.failed_login_count = 0
        account.locked_until = None
        account.save()
        revoked = Token.objects.filter(user=account).delete()[0]
        audit(
            "account_approved",
            user=decider,
            detail=f"批准{request.get_kind_display()}：{account.username}（申请人 {request.requested_by.username}）",
            data={
                "request": request.pk,
                "account": account.username,
                "kind": request.kind,
                "tokens_revoked": revoked,
            },
        )


def reject(request: AccountRequest, decider: User, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("请填写驳回理由")
    with transaction.atomic():
        _decide(request, decider, RequestStatus.REJECTED, reason.strip())
        audit(
            "account_rejected",
            user=decider,
            detail=f"驳回{request.get_kind_display()}：{request.account.username}（{reason.strip()[:100]}）",
            data={"request": request.pk, "account": request.account.username, "kind": request.kind},
        )
