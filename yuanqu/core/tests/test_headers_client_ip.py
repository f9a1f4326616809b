"""The client's address: X-Forwarded-For only from the trusted proxies, the right-most
address that is not one of them; the audit trail and the login limits use it."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from yuanqu.core.context import client_ip
from yuanqu.core.models import AuditEvent
from yuanqu.users.models import LoginThrottle
from yuanqu.utilities.testing.factories import PASSWORD

LOGIN = reverse("users:login")


def ip(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.YUANQU_TRUSTED_PROXIES = []
    assert ip("203.0.113.7", "1.2.3.4") == "203.0.113.7"
    assert ip("127.0.0.1", "1.2.3.4") == "127.0.0.1"


def test_a_client_that_is_no_proxy_cannot_pick_its_address(settings):
    settings.YUANQU_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert ip("203.0.113.7", "10.0.0.5") == "203.0.113.7"
    assert ip("203.0.113.7", "198.51.100.1, 127.0.0.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(settings):
    settings.YUANQU_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert ip("127.0.0.1", "198.51.100.20") == "198.51.100.20"
    # the client wrote its own X-Forwarded-For; nginx appended the address it saw
    assert ip("127.0.0.1", "1.1.1.1, 198.51.100.20") == "198.51.100.20"
    # two proxies of ours (a load balancer in 10/8, then nginx on the same host)
    assert ip("127.0.0.1", "1.1.1.1, 198.51.100.20, 10.1.2.3") == "198.51.100.20"
    assert ip("127.0.0.1", "198.51.100.20:51234") == "198.51.100.20"
    assert ip("127.0.0.1", "") == "127.0.0.1"
    # everything in the chain is ours: the left-most is the closest to the client we know
    assert ip("127.0.0.1", "10.0.0.9, 10.0.0.8") == "10.0.0.9"
    # what a proxy of ours did not write stops the reading
    assert ip("127.0.0.1", "198.51.100.20, garbage") == "127.0.0.1"


def test_ipv6_peers_and_networks(settings):
    settings.YUANQU_TRUSTED_PROXIES = ["::1", "fd00::/8"]
    assert ip("::1", "2001:db8::7") == "2001:db8::7"
    assert ip("fd00::3", "[2001:db8::8]:443") == "2001:db8::8"
    assert ip("2001:db8::9", "2001:db8::7") == "2001:db8::9"


@pytest.mark.django_db
def test_the_audit_trail_records_the_real_client_behind_the_proxy(settings, alice):
    settings.YUANQU_TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20")
    assert proxied.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(kind="login").latest("time").ip == "198.51.100.20"

    direct = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert direct.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(kind="login").latest("time").ip == "203.0.113.7"


@pytest.mark.django_db
def test_a_spoofed_header_does_not_escape_the_address_limit(settings, alice):
    settings.YUANQU_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 3
    for i in range(3):
        attacker = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        attacker.post(LOGIN, {"username": f"user{i}", "password": "wrong-password"})
    assert LoginThrottle.objects.get(address="203.0.113.7").locked_until is not None
    assert not LoginThrottle.objects.filter(address__startswith="192.0.2.").exists()


@pytest.mark.django_db
def test_behind_the_proxy_the_limit_falls_on_the_client_not_the_proxy(settings, alice):
    settings.YUANQU_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 3
    for i in range(3):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20").post(
            LOGIN, {"username": f"user{i}", "password": "wrong-password"}
        )
    assert LoginThrottle.objects.get(address="198.51.100.20").locked_until is not None
    assert not LoginThrottle.objects.filter(address="127.0.0.1", locked_until__isnull=False).exists()
    # someone else behind the same proxy still logs in
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert other.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_a_mistyped_proxy_is_refused_at_start_with_a_chinese_message():
    import os
    import subprocess
    import sys

    env = {**os.environ, "YUANQU_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/33", "YUANQU_DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "-c", "import yuanqu.settings"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "YUANQU_TRUSTED_PROXIES 中的“10.0.0.0/33”不是IP地址或网段" in result.stderr
