"""Passwords and sessions (issue 12, finding 9): a longest password, the first-login change,
the 90-day expiry, the 12-hour session and API tokens that end."""

import datetime
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from yuanqu.core.models import AuditEvent
from yuanqu.users import tokens
from yuanqu.users.models import User
from yuanqu.users.sessions import LOGGED_IN, TOUCHED
from yuanqu.utilities.testing.factories import PASSWORD

LOGIN = reverse("users:login")
HOME = reverse("home")
CHANGE = reverse("users:password_change")
API = reverse("enterprises-api:enterprise-list")
NEW = "Zq7-mountain-Lake"


def change_password(client, old=PASSWORD, new=NEW):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


# --- the longest password ------------------------------------------------------------------


def test_a_password_of_128_characters_is_accepted_and_129_refused():
    validate_password("Aa1-" + "x" * 124)
    with pytest.raises(ValidationError) as refused:
        validate_password("Aa1-" + "x" * 296)
    assert "密码太长，最多128个字符（现有300个）" in refused.value.messages


@pytest.mark.django_db
def test_the_change_page_refuses_a_300_character_password(client, alice):
    client.force_login(alice)
    long = "Aa1-" + "x" * 296
    response = change_password(client, new=long)
    assert response.status_code == 200
    assert "密码太长，最多128个字符" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# --- a password set by an administrator is changed first -----------------------------------


@pytest.fixture
def new_account(alice):
    User.objects.filter(pk=alice.pk).update(must_change_password=True)
    return alice


@pytest.mark.django_db
def test_the_first_login_goes_to_the_change_page_until_done(client, new_account):
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
    for url in (HOME, reverse("enterprises:enterprise_list"), reverse("users:token")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == CHANGE, url
    page = client.get(CHANGE).content.decode()
    assert "您的密码由管理员设置，请先修改为只有您知道的密码。" in page
    # HTMX requests are sent there too, as a whole-page redirect.
    response = client.get(reverse("enterprises:enterprise_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == CHANGE

    # The administrator's password again is not a change.
    response = change_password(client, new=PASSWORD)
    assert "新密码不能与原密码相同" in response.content.decode()
    assert client.get(HOME).status_code == 302

    before = timezone.now()
    assert change_password(client).status_code == 302
    new_account.refresh_from_db()
    assert not new_account.must_change_password and new_account.password_changed_at >= before
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_logging_out_needs_no_change_first(client, new_account):
    client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert client.post(reverse("users:logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_a_password_expires_after_90_days(client, alice, settings):
    assert settings.YUANQU_PASSWORD_MAX_AGE_DAYS == 90
    client.force_login(alice)
    User.objects.filter(pk=alice.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=89))
    assert client.get(HOME).status_code == 200
    User.objects.filter(pk=alice.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=90))
    response = client.get(HOME, follow=True)
    assert "您的密码已使用超过90天，请先修改密码。" in response.content.decode()
    assert change_password(client).status_code == 302
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_no_expiry_when_the_setting_is_zero(client, alice, settings):
    settings.YUANQU_PASSWORD_MAX_AGE_DAYS = 0
    User.objects.filter(pk=alice.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=900))
    client.force_login(alice)
    assert client.get(HOME).status_code == 200


# --- the absolute session limit ------------------------------------------------------------


def age_session(client, hours):
    session = client.session
    session[LOGGED_IN] = int(time.time()) - int(hours * 3600)
    session[TOUCHED] = int(time.time()) - 5  # busy: the idle limit is far
    session.save()


@pytest.mark.django_db
def test_a_session_ends_after_twelve_hours_however_busy(client, alice, settings):
    assert settings.YUANQU_SESSION_ABSOLUTE_HOURS == 12
    client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert client.session[LOGGED_IN] >= int(time.time()) - 5
    age_session(client, 11.9)
    assert client.get(HOME).status_code == 200
    age_session(client, 12)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    event = AuditEvent.objects.get(kind="session_expired")
    assert event.user_name == "alice" and "12小时" in event.detail


# --- API tokens ----------------------------------------------------------------------------


@pytest.fixture
def token(alice):
    return Token.objects.create(user=alice)


def api_get(client, token):
    return client.get(API, HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.mark.django_db
def test_a_fresh_token_works(client, token):
    assert api_get(client, token).status_code == 200


@pytest.mark.django_db
def test_a_token_expires_after_90_days(client, token, settings):
    assert settings.YUANQU_API_TOKEN_DAYS == 90
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=90, seconds=1))
    response = api_get(client, token)
    assert response.status_code == 401
    assert response.json()["detail"] == tokens.EXPIRED
    assert not Token.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.get(kind="token_rejected")
    assert event.user_name == "alice" and event.data == {"reason": "expired"}


@pytest.mark.django_db
def test_a_token_made_before_a_password_change_is_refused(client, alice, token):
    alice.set_password(NEW)  # e.g. an approved reset
    alice.save()
    response = api_get(client, token)
    assert response.status_code == 401 and response.json()["detail"] == tokens.REVOKED


@pytest.mark.django_db
def test_changing_the_password_revokes_the_tokens(client, alice, token):
    client.force_login(alice)
    response = change_password(client, new=NEW)
    assert response.status_code == 302
    assert not Token.objects.filter(user=alice).exists()
    assert AuditEvent.objects.get(kind="password_changed").data == {"tokens_revoked": 1}
    client.logout()
    assert api_get(client, token).status_code == 401
    # A token made after the change works.
    fresh = Token.objects.create(user=alice)
    assert api_get(client, fresh).status_code == 200


@pytest.mark.django_db
def test_the_token_page_says_when_the_token_ends(client, alice):
    client.force_login(alice)
    page = client.post(reverse("users:token")).content.decode()
    token = Token.objects.get(user=alice)
    until = timezone.localtime(token.created + datetime.timedelta(days=90))
    assert f"当前令牌有效期至 {until:%Y-%m-%d %H:%M}" in page and token.key in page
