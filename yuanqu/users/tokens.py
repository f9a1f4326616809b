"""API tokens that end: ``YUANQU_API_TOKEN_DAYS`` after they were made, and at once when the
account's password changes (a token made before the last password change is refused)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from yuanqu.core.changelog import audit

EXPIRED = "接口令牌已过期，请登录后在“接口令牌”页重新生成。"
REVOKED = "接口令牌已失效（账号密码已修改），请登录后在“接口令牌”页重新生成。"


def expires_at(token):
    days = settings.YUANQU_API_TOKEN_DAYS
    return token.created + timedelta(days=days) if days else None


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        until = expires_at(token)
        if until is not None and until <= timezone.now():
            self._refuse(token, "expired", EXPIRED)
        changed = user.password_changed_at
        if changed is not None and token.created < changed:
            self._refuse(token, "revoked", REVOKED)
        return user, token

    @staticmethod
    def _refuse(token, reason, message):
        user = token.user
        token.delete()
        audit("token_rejected", user=user, detail=message[:40], data={"reason": reason})
        raise AuthenticationFailed(message)
