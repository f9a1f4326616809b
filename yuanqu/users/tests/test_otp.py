"""Two-factor login with a time-based one-time code (TOTP): required for the administrators
and leaders (``YUANQU_OTP_REQUIRED_ROLES``), optional for others."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuanqu.core.models import AuditEvent
from yuanqu.utilities.testing.factories import PASSWORD

LOGIN = reverse("users:login")
HOME = reverse("home")
VERIFY = reverse("users:otp_verify")
ENROL = reverse("users:otp_enrol")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.YUANQU_OTP_REQUIRED_ROLES = ["sysadmin", "secadmin", "auditor", "leader"]


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def log_in(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def test_production_requires_it_of_the_administrators_and_leaders():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("YUANQU_", "DJANGO_"))}
    env.update(YUANQU_SECRET_KEY="x" * 50, YUANQU_ALLOWED_HOSTS="example.cn", YUANQU_DEBUG="false")
    code = "import yuanqu.settings as s; print(','.join(s.YUANQU_OTP_REQUIRED_ROLES))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "sysadmin,secadmin,auditor,leader"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["leader", "sysadmin", "secadmin", "auditor"])
def test_a_required_role_binds_an_authenticator_before_it_is_logged_in(client, username, request):
    user = request.getfixturevalue(username)
    response = log_in(client, username)
    assert response.status_code == 302 and response["Location"] == ENROL
    # Half-way: not logged in.
    assert client.get(HOME)["Location"].startswith(LOGIN)
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.config_url in page.replace("&amp;", "&") and "otpauth://totp/" in page

    response = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "动态口令错误或已过期" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(LOGIN)
    # Right after a failure even the right code waits (django-otp doubles the wait each time).
    response = client.post(ENROL, {"code": code_for(device)})
    assert "错误次数过多，请稍后再试" in response.content.decode()
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # … as if the seconds had passed

    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    kinds = list(AuditEvent.objects.filter(user_name=username).values_list("kind", flat=True))
    assert {"otp_failed", "otp_enrolled", "login"} <= set(kinds)


@pytest.fixture
def bound_leader(leader):
    return TOTPDevice.objects.create(user=leader, name="验证器", confirmed=True)


@pytest.mark.django_db
def test_a_bound_authenticator_is_asked_for_at_every_login(client, bound_leader):
    response = log_in(client, "leader")
    assert response["Location"] == VERIFY
    response = client.post(VERIFY, {"code": "12345"})
    assert "动态口令为6位数字" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(LOGIN)
    response = client.post(VERIFY, {"code": code_for(bound_leader)})
    assert response.status_code == 302 and client.get(HOME).status_code == 200
    event = AuditEvent.objects.filter(kind="login", user_name="leader").get()
    assert event.detail == "密码与动态口令"


@pytest.mark.django_db
def test_the_code_step_needs_the_password_first(client, bound_leader):
    assert client.post(VERIFY, {"code": code_for(bound_leader)})["Location"] == LOGIN
    assert client.get(HOME)["Location"].startswith(LOGIN)
    assert client.get(ENROL)["Location"] == LOGIN


@pytest.mark.django_db
def test_a_used_code_is_not_accepted_twice(bound_leader):
    first, second = Client(), Client()
    code = code_for(bound_leader)
    log_in(first, "leader")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    log_in(second, "leader")
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200 and second.get(HOME)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_staff_log_in_without_a_code_and_may_bind_one(client, alice):
    response = log_in(client, "alice")
    assert response["Location"] == HOME
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post(ENROL, {"code": code_for(device)}, follow=True)
    assert "已绑定动态口令验证器" in response.content.decode()
    client.post(reverse("users:logout"))
    # The next login asks for a code.
    assert log_in(client, "alice")["Location"] == VERIFY


@pytest.mark.django_db
def test_a_wrong_password_never_reaches_the_code_step(client, bound_leader):
    response = client.post(LOGIN, {"username": "leader", "password": "Wrong-Password-1"})
    assert response.status_code == 200
    assert client.get(VERIFY)["Location"] == LOGIN


@pytest.mark.django_db
def test_the_secadmin_resets_a_lost_authenticator(client, secadmin, sysadmin, bound_leader):
    leader = bound_leader.user
    url = reverse("users:user_reset_otp", args=[leader.pk])
    client.force_login(sysadmin)
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()
    client.force_login(secadmin)
    assert "重置动态口令" in client.get(leader.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert AuditEvent.objects.get(kind="unlock").data == {"target": "leader", "otp": 1}
    client.logout()
    assert log_in(client, "leader")["Location"] == ENROL
