"""Accounts: password storage and policy, login lockout, unlocking — each
security event written to the audit trail."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from yuanqu.core.models import AuditEvent
from yuanqu.users.auth import REFUSED
from yuanqu.users.models import User
from yuanqu.utilities.testing.factories import PASSWORD

LOGIN = reverse("users:login")
WRONG = "Wrong-Password-1"


def kinds(username):
    return list(AuditEvent.objects.filter(user_name=username).order_by("id").values_list("kind", flat=True))


def error_text(response) -> str:
    html = response.content.decode()
    errors = re.findall(r'<div class="msg error"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(errors)).split())


# --- passwords --------------------------------------------------------------------------


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2(alice):
    assert get_hasher().algorithm == "argon2"
    assert alice.password.startswith("argon2$argon2id$")
    assert PASSWORD not in alice.password
    assert alice.check_password(PASSWORD)


def test_production_settings_use_argon2_first():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Ab1!xyz", "密码太短，至少需要10个字符"),
        ("abcdefghijk1", "密码须包含小写字母、大写字母、数字、符号四类中的至少3类"),
        ("Password123", "这个密码太常见了。"),
        ("Qwerty12345", "这个密码太常见了。"),
        ("1234567890987", "密码只包含数字。"),
    ],
)
def test_password_policy_refuses(password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert reason in refused.value.messages


@pytest.mark.parametrize("password", ["Zq7-mountain-Lake", "hk2yuan!QU9x", "渭河-Bridge-2024"])
def test_password_policy_accepts(password):
    validate_password(password)


def user_form(**overrides):
    data = {
        "username": "zhangwei",
        "name": "张伟",
        "role": "staff",
        "is_active": "on",
        "password": "Zq7-mountain-Lake",
    }
    return {**data, **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password, reason",
    [
        ("Short1!", "密码太短，至少需要10个字符"),
        ("alllowercaseletters", "密码须包含小写字母、大写字母、数字、符号四类中的至少3类"),
        ("Password123", "这个密码太常见了。"),
        ("Zhangwei2024!", "密码跟 用户名 太相似了。"),
    ],
)
def test_user_form_shows_the_password_policy_in_chinese(client, sysadmin, econ_dept, password, reason):
    client.force_login(sysadmin)
    response = client.post(reverse("users:user_add"), user_form(department=econ_dept.pk, password=password))
    assert response.status_code == 200
    html = response.content.decode()
    field = re.search(
        r'<div class="field has-error">\s*<label for="id_password">.*?</div>\s*</div>', html, re.S
    )
    assert field and reason in field.group(0)
    assert 'value="zhangwei"' in html  # the rest of the input is kept
    assert not User.objects.filter(username="zhangwei").exists()


@pytest.mark.django_db
def test_user_form_creates_the_user_with_a_good_password(client, sysadmin, econ_dept):
    client.force_login(sysadmin)
    response = client.post(reverse("users:user_add"), user_form(department=econ_dept.pk))
    assert response.status_code == 302
    user = User.objects.get(username="zhangwei")
    # The password waits for the security administrator (test_separation_of_duties.py).
    assert not user.has_usable_password()
    from yuanqu.users.models import AccountRequest

    request = AccountRequest.objects.get(account=user)
    assert request.password.startswith("argon2") and "Zq7-mountain-Lake" not in request.password


# --- login, lockout, logout --------------------------------------------------------------


@pytest.mark.django_db
def test_good_login_and_logout_are_audited(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("users:logout")).status_code == 302
    assert kinds("alice") == ["login", "logout"]
    assert client.get(reverse("home")).status_code == 302  # logged out


@pytest.mark.django_db
def test_unknown_user_is_refused_like_a_wrong_password(client, alice):
    response = client.post(LOGIN, {"username": "nobody", "password": PASSWORD})
    assert error_text(response) == REFUSED
    event = AuditEvent.objects.get(user_name="nobody")
    assert event.kind == "login_failed" and event.detail == "用户名不存在" and event.user_id is None


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_thirty_minutes(client, alice):
    # The same answer for every failure and for the lock: nothing tells the account exists.
    for attempt in range(1, 6):
        response = client.post(LOGIN, {"username": "alice", "password": WRONG})
        assert error_text(response) == REFUSED, attempt
    before = timezone.now()
    alice.refresh_from_db()
    assert alice.is_locked
    assert (
        before + datetime.timedelta(minutes=29)
        < alice.locked_until
        <= before + datetime.timedelta(minutes=30)
    )

    # The sixth attempt, with the right password, is refused while the lock lasts.
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert error_text(response) == REFUSED
    assert client.get(reverse("home")).status_code == 302
    assert kinds("alice") == ["login_failed"] * 5 + ["lockout", "login_locked"]
    lockout = AuditEvent.objects.get(kind="lockout")
    assert lockout.user_id == alice.pk and "连续5次登录失败" in lockout.detail

    # Thirty minutes later the right password works again.
    User.objects.filter(pk=alice.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert kinds("alice")[-1] == "login"
    alice.refresh_from_db()
    assert alice.failed_login_count == 0 and alice.locked_until is None


@pytest.mark.django_db
def test_a_good_login_resets_the_failure_count(client, alice):
    for _ in range(4):
        client.post(LOGIN, {"username": "alice", "password": WRONG})
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
    client.post(reverse("users:logout"))
    for _ in range(4):
        client.post(LOGIN, {"username": "alice", "password": WRONG})
    alice.refresh_from_db()
    assert not alice.is_locked and alice.failed_login_count == 4


@pytest.fixture
def locked_alice(alice):
    User.objects.filter(pk=alice.pk).update(
        locked_until=timezone.now() + datetime.timedelta(minutes=20), failed_login_count=0
    )
    alice.refresh_from_db()
    return alice


@pytest.mark.django_db
def test_security_admin_unlocks_an_account(client, secadmin, locked_alice):
    client.force_login(secadmin)
    page = client.get(reverse("users:user", args=[locked_alice.pk])).content.decode()
    assert "解除锁定" in page
    response = client.post(reverse("users:user_unlock", args=[locked_alice.pk]))
    assert response.status_code == 302
    locked_alice.refresh_from_db()
    assert not locked_alice.is_locked
    event = AuditEvent.objects.get(kind="unlock")
    assert event.user_name == "secadmin" and event.data == {"target": "alice"}
    client.logout()
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_system_admin_cannot_unlock(client, sysadmin, locked_alice):
    client.force_login(sysadmin)
    page = client.get(reverse("users:user", args=[locked_alice.pk])).content.decode()
    assert "已锁定至" in page and "解除锁定</button>" not in page
    assert client.post(reverse("users:user_unlock", args=[locked_alice.pk])).status_code == 403
    locked_alice.refresh_from_db()
    assert locked_alice.is_locked
    assert not AuditEvent.objects.filter(kind="unlock").exists()


@pytest.mark.django_db
def test_unlock_needs_a_post(client, secadmin, locked_alice):
    client.force_login(secadmin)
    assert client.get(reverse("users:user_unlock", args=[locked_alice.pk])).status_code == 405
    locked_alice.refresh_from_db()
    assert locked_alice.is_locked


# Idle sessions: test_idle_sessions.py.
