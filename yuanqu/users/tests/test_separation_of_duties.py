"""三权分立 as rules (issue 12, findings 1 and 2): who may do what to whom among the system
administrator, the security administrator, the auditor, a leader and staff.

Each refusal asserts that nothing changed: no row, no change-log entry, the password as before."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.users.choices import RequestKind, RequestStatus, Role
from yuanqu.users.models import AccountRequest, ObjectPermission, User
from yuanqu.utilities.testing.changes import assert_nothing_changed
from yuanqu.utilities.testing.factories import PASSWORD
from yuanqu.utilities.testing.views import with_version

LOGIN = reverse("users:login")
ADD_GRANT = reverse("users:objectpermission_add")
ADD_USER = reverse("users:user_add")
NEW_PASSWORD = "Zq7-mountain-Lake"


def grant_data(**overrides):
    data = {
        "name": "新授权",
        "enabled": "on",
        "role": "",
        "user": "",
        "model": "enterprises.enterprise",
        "actions": ["view", "export", "view_personal"],
        "constraint": "all",
    }
    return {**data, **overrides}


def form_errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@pytest.fixture
def cast(sysadmin, secadmin, auditor, leader, alice):
    return {"sysadmin": sysadmin, "secadmin": secadmin, "auditor": auditor, "leader": leader, "staff": alice}


def audit_grant(model="core.auditevent"):
    return ObjectPermission.objects.get(role=Role.AUDITOR, model=model, is_default=True)


# --- grants: the security administrator's, within the rules -------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target, overrides, reason",
    [
        ("self-user", {}, "不能给自己授权"),
        ("self-role", {"role": Role.SECADMIN}, "不能给自己所在的角色授权"),
        ("sysadmin-role", {"role": Role.SYSADMIN}, "不能给系统管理员授予系统预置以外的权限"),
        ("sysadmin-user", {}, "不能单独给系统管理员账号授权"),
        ("auditor-role", {"role": Role.AUDITOR}, "审计员只能查看审计记录"),
        ("auditor-user", {}, "不能单独给审计员账号授权"),
        (
            "auditor-audit-change",
            {"role": Role.AUDITOR, "model": "core.auditevent", "actions": ["view", "change"]},
            "审计记录只能授予审计员角色“查看/导出”操作",
        ),
        (
            "sysadmin-wider-preset",
            {"role": Role.SYSADMIN, "model": "users.user", "actions": ["view", "delete"]},
            "不能给系统管理员授予系统预置以外的权限",
        ),
    ],
)
def test_secadmin_cannot_grant_to_itself_or_an_administrator(client, cast, target, overrides, reason):
    secadmin = cast["secadmin"]
    users = {"self-user": secadmin, "sysadmin-user": cast["sysadmin"], "auditor-user": cast["auditor"]}
    if target in users:
        overrides = {**overrides, "user": users[target].pk}
    client.force_login(secadmin)
    with assert_nothing_changed(ObjectPermission):
        response = client.post(ADD_GRANT, grant_data(**overrides))
    assert response.status_code == 200
    assert reason in form_errors(response)


@pytest.mark.django_db
def test_secadmin_grants_business_roles_and_the_audit_trail_read_only(client, cast):
    client.force_login(cast["secadmin"])
    response = client.post(ADD_GRANT, grant_data(role=Role.LEADER))
    assert response.status_code == 302
    response = client.post(ADD_GRANT, grant_data(name="王丽-企业", user=cast["staff"].pk, actions=["view"]))
    assert response.status_code == 302
    response = client.post(
        ADD_GRANT,
        grant_data(name="审计员-复核", role=Role.AUDITOR, model="core.objectchange", actions=["view"]),
    )
    assert response.status_code == 302
    assert ObjectPermission.objects.filter(name__in=["新授权", "王丽-企业", "审计员-复核"]).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["sysadmin", "auditor", "leader", "staff"])
def test_only_the_secadmin_manages_grants(client, cast, actor):
    client.force_login(cast[actor])
    grant = audit_grant()
    with assert_nothing_changed(ObjectPermission):
        assert client.get(ADD_GRANT).status_code == 403
        assert client.post(ADD_GRANT, grant_data(user=cast[actor].pk)).status_code == 403
        response = client.post(reverse("users:objectpermission_delete", args=[grant.pk]))
        assert response.status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["core.auditevent", "core.objectchange"])
def test_nobody_revokes_the_auditors_audit_grant_on_the_page(client, cast, model):
    grant = audit_grant(model)
    client.force_login(cast["secadmin"])
    with assert_nothing_changed(ObjectPermission):
        response = client.post(reverse("users:objectpermission_delete", args=[grant.pk]), follow=True)
        assert "审计员的审计记录授权不能撤销" in response.content.decode()
        edit = reverse("users:objectpermission_edit", args=[grant.pk])
        base = {"name": grant.name, "role": Role.AUDITOR, "model": model, "constraint": "all"}
        for change in ({"actions": ["view", "export"]}, {"actions": ["view"], "enabled": "on"}):
            response = client.post(edit, {**base, **change})
            assert response.status_code == 200
            assert "审计员的审计记录授权不能撤销、停用或缩小" in form_errors(response)


@pytest.mark.django_db
def test_nobody_revokes_the_auditors_audit_grant_in_code(cast):
    grant = audit_grant()
    with assert_nothing_changed(ObjectPermission):
        with pytest.raises(ValidationError):
            grant.delete()
        with pytest.raises(ValidationError):
            ObjectPermission.objects.filter(role=Role.AUDITOR).delete()
        with pytest.raises(ValidationError):
            ObjectPermission.objects.all().delete()
    # Other grants go as before.
    ObjectPermission.objects.filter(role=Role.LEADER).delete()
    assert not ObjectPermission.objects.filter(role=Role.LEADER).exists()


@pytest.mark.django_db
def test_secadmin_cannot_make_an_account_with_own_grants_an_administrator(client, cast):
    alice = cast["staff"]
    ObjectPermission.objects.create(
        name="王丽-企业", user=alice, model="enterprises.enterprise", actions=["view"]
    )
    client.force_login(cast["secadmin"])
    with assert_nothing_changed(User):
        response = client.post(
            reverse("users:user_edit", args=[alice.pk]), {"role": Role.SYSADMIN, "is_active": "on"}
        )
    assert "该账号有单独授予的权限，不能设为系统管理员" in form_errors(response)


# --- accounts: the system administrator's, approved by the security administrator ----------


def new_account(**overrides):
    data = {
        "username": "zhangwei",
        "name": "张伟",
        "role": Role.LEADER,
        "is_active": "on",
        "password": NEW_PASSWORD,
    }
    return {**data, **overrides}


def can_log_in(username, password) -> bool:
    from django.test import Client

    return Client().post(LOGIN, {"username": username, "password": password}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF, Role.INSPECTOR])
def test_a_new_account_waits_for_the_secadmins_approval(client, cast, econ_dept, role):
    client.force_login(cast["sysadmin"])
    response = client.post(ADD_USER, new_account(role=role, department=econ_dept.pk), follow=True)
    assert "新建账号已提交安全管理员审批" in response.content.decode()
    account = User.objects.get(username="zhangwei")
    assert not account.has_usable_password() and not can_log_in("zhangwei", NEW_PASSWORD)
    request = AccountRequest.objects.get(account=account)
    assert (request.kind, request.status, request.requested_by) == (
        RequestKind.CREATE,
        RequestStatus.PENDING,
        cast["sysadmin"],
    )
    assert NEW_PASSWORD not in request.password

    page = client.get(account.get_absolute_url()).content.decode()
    assert "尚未生效（待安全管理员批准）" in page and request.get_absolute_url() in page

    # The system administrator cannot approve its own request.
    with assert_nothing_changed(AccountRequest):
        assert client.post(reverse("users:accountrequest_approve", args=[request.pk])).status_code == 403

    client.force_login(cast["secadmin"])
    page = client.get(request.get_absolute_url()).content.decode()
    assert "批准" in page and "驳回理由" in page
    response = client.post(reverse("users:accountrequest_approve", args=[request.pk]), follow=True)
    assert "已批准新建账号：zhangwei" in response.content.decode()
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD) and account.must_change_password
    assert can_log_in("zhangwei", NEW_PASSWORD)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == cast["secadmin"]
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "user_name"))
    assert ("account_requested", "sysadmin") in kinds and ("account_approved", "secadmin") in kinds

    # Approved once: a second approval changes nothing.
    with assert_nothing_changed(AccountRequest, User):
        response = client.post(reverse("users:accountrequest_approve", args=[request.pk]), follow=True)
    assert "该申请已批准，不能再审批" in response.content.decode()


@pytest.mark.django_db
def test_a_password_reset_is_applied_only_on_approval(client, cast):
    leader = cast["leader"]
    client.force_login(cast["sysadmin"])
    data = {
        "username": "leader",
        "name": leader.name,
        "role": Role.LEADER,
        "department": leader.department_id,
    }
    response = client.post(
        reverse("users:user_edit", args=[leader.pk]),
        with_version(leader, {**data, "is_active": "on", "password": NEW_PASSWORD}),
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD) and not leader.check_password(NEW_PASSWORD)
    assert not can_log_in("leader", NEW_PASSWORD)
    request = AccountRequest.objects.get(account=leader, kind=RequestKind.RESET_PASSWORD)

    client.force_login(cast["secadmin"])
    response = client.post(
        reverse("users:accountrequest_reject", args=[request.pk]), {"reason": "未见本人申请"}
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.reason == "未见本人申请"
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD) and not leader.must_change_password
    event = AuditEvent.objects.get(kind="account_rejected")
    assert event.user_name == "secadmin" and "未见本人申请" in event.detail


@pytest.mark.django_db
def test_a_rejection_needs_a_reason(client, cast):
    request = AccountRequest.objects.create(
        kind=RequestKind.RESET_PASSWORD, account=cast["leader"], requested_by=cast["sysadmin"], password="x"
    )
    client.force_login(cast["secadmin"])
    with assert_nothing_changed(AccountRequest):
        response = client.post(
            reverse("users:accountrequest_reject", args=[request.pk]), {"reason": " "}, follow=True
        )
    assert "请填写驳回理由" in response.content.decode()


@pytest.mark.django_db
def test_a_newer_request_supersedes_the_pending_one(client, cast):
    leader = cast["leader"]
    client.force_login(cast["sysadmin"])
    data = {"username": "leader", "role": Role.LEADER, "department": leader.department_id, "is_active": "on"}
    url = reverse("users:user_edit", args=[leader.pk])
    client.post(url, with_version(leader, {**data, "password": NEW_PASSWORD}))
    client.post(url, with_version(leader, {**data, "password": "Another-Passw0rd-9"}))
    statuses = list(AccountRequest.objects.order_by("id").values_list("status", flat=True))
    assert statuses == [RequestStatus.SUPERSEDED, RequestStatus.PENDING]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["sysadmin", "auditor", "leader", "staff"])
def test_only_the_secadmin_decides(client, cast, actor):
    request = AccountRequest.objects.create(
        kind=RequestKind.RESET_PASSWORD, account=cast["staff"], requested_by=cast["sysadmin"], password="x"
    )
    client.force_login(cast[actor])
    with assert_nothing_changed(AccountRequest, User):
        for step in ("approve", "reject"):
            response = client.post(
                reverse(f"users:accountrequest_{step}", args=[request.pk]), {"reason": "无"}
            )
            assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(kind__in=["account_approved", "account_rejected"]).exists()


@pytest.mark.django_db
def test_the_secadmin_does_not_decide_on_its_own_account(client, cast):
    request = AccountRequest.objects.create(
        kind=RequestKind.RESET_PASSWORD, account=cast["secadmin"], requested_by=cast["sysadmin"], password="x"
    )
    client.force_login(cast["secadmin"])
    with assert_nothing_changed(AccountRequest):
        assert client.post(reverse("users:accountrequest_approve", args=[request.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["secadmin", "auditor", "leader", "staff"])
def test_only_the_sysadmin_asks_for_accounts(client, cast, econ_dept, actor):
    client.force_login(cast[actor])
    with assert_nothing_changed(User, AccountRequest):
        assert client.post(ADD_USER, new_account(department=econ_dept.pk)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["secadmin", "auditor"])
def test_sysadmin_cannot_touch_the_other_administrators(client, cast, target):
    client.force_login(cast["sysadmin"])
    account = cast[target]
    with assert_nothing_changed(User, AccountRequest):
        response = client.post(
            reverse("users:user_edit", args=[account.pk]),
            {"username": target, "role": Role.STAFF, "is_active": "on", "password": NEW_PASSWORD},
        )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["sysadmin", "secadmin", "auditor", "leader", "staff"])
def test_who_sees_the_account_requests(client, cast, actor):
    AccountRequest.objects.create(
        kind=RequestKind.CREATE, account=cast["staff"], requested_by=cast["sysadmin"], password="x"
    )
    client.force_login(cast[actor])
    response = client.get(reverse("users:accountrequest_list"))
    assert response.status_code == (200 if actor in ("sysadmin", "secadmin") else 403)


# --- a new zone: the administrators from the console, everyone else by the two-person rule --


@pytest.mark.django_db
def test_a_new_zone_starts_on_the_console(client, monkeypatch, econ_dept):
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("YUANQU_ADMIN_PASSWORD", "Console-Passw0rd-1")
    call_command("createadmin", "sun", "--role", "sysadmin", "--name", "孙浩")
    call_command("createadmin", "zhou", "--role", "secadmin")
    sysadmin, secadmin = User.objects.get(username="sun"), User.objects.get(username="zhou")
    assert (sysadmin.role, secadmin.role) == (Role.SYSADMIN, Role.SECADMIN)
    assert sysadmin.must_change_password and sysadmin.check_password("Console-Passw0rd-1")
    assert AuditEvent.objects.filter(kind="admin_created", source="cli").count() == 2

    # The console makes administrators only, with a password the policy accepts.
    with pytest.raises(CommandError):
        call_command("createadmin", "boss", "--role", "leader")
    monkeypatch.setenv("YUANQU_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("createadmin", "wu", "--role", "auditor")
    with pytest.raises(CommandError, match="已存在"):
        call_command("createadmin", "sun", "--role", "auditor")
    assert not User.objects.filter(username__in=["boss", "wu"]).exists()

    # Django's createsuperuser still makes a system administrator, never a superuser.
    root = User.objects.create_superuser("root", "root@example.cn", "Console-Passw0rd-2")
    assert root.role == Role.SYSADMIN and not root.is_superuser

    # Until they change their passwords, the administrators reach nothing else.
    client.force_login(sysadmin)
    response = client.get(ADD_USER)
    assert response.status_code == 302 and response["Location"] == reverse("users:password_change")
    User.objects.filter(pk__in=[sysadmin.pk, secadmin.pk]).update(must_change_password=False)

    # The first leader: asked for by the system administrator, approved by the security one.
    client.force_login(sysadmin)
    client.post(ADD_USER, new_account(department=econ_dept.pk))
    client.force_login(secadmin)
    request = AccountRequest.objects.get(account__username="zhangwei")
    client.post(reverse("users:accountrequest_approve", args=[request.pk]))
    assert can_log_in("zhangwei", NEW_PASSWORD)
