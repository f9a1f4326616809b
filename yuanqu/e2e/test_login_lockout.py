import pytest

from yuanqu.core.models import AuditEvent
from yuanqu.users.auth import REFUSED
from yuanqu.users.models import User
from yuanqu.utilities.testing.factories import PASSWORD

from .conftest import login, login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_five_wrong_passwords_lock_the_account(page, alice):
    # One answer for every failure and for the lock: the page never tells the account exists.
    for attempt in range(1, 6):
        login(page, "alice", "Wrong-password-1")
        assert page.locator(".msg.error").inner_text() == REFUSED, attempt

    # Even the right password is refused while locked.
    login(page, "alice", PASSWORD)
    assert page.locator(".msg.error").inner_text() == REFUSED
    assert page.url.endswith("/login/")
    assert User.objects.get(username="alice").is_locked
    kinds = list(AuditEvent.objects.filter(user_name="alice").values_list("kind", flat=True))
    assert kinds.count("login_failed") == 5 and "lockout" in kinds and "login_locked" in kinds


def test_a_good_login_lands_on_the_start_page(page, alice, owned_enterprise):
    login_as(page, "alice")
    assert page.locator("h1").inner_text() == "首页"
    assert "企业总数" in page.content()
