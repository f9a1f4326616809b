from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

PUBLIC_PREFIXES = ("/login/", "/static/", "/api/", "/healthz", "/favicon.ico")


class LoginRequiredMiddleware:
    """Every page needs a logged-in user, except the login page, static files and the API
    (which answers 401/403 itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"/login/?next={request.path}"
                return response
            return redirect_to_login(request.get_full_path(), "/login/")
        return self.get_response(request)


# What a user who must change the password may still reach: the change page itself, logging
# out, and what needs no login anyway.
CHANGE_ALLOWED = ("/account/password/", "/logout/", *PUBLIC_PREFIXES)


class PasswordChangeRequiredMiddleware:
    """A password set by an administrator (a new account, a reset) or older than
    ``YUANQU_PASSWORD_MAX_AGE_DAYS`` must be changed before anything else: every page sends
    the user to the change page until it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(CHANGE_ALLOWED):
            reason = None
            if user.must_change_password:
                reason = "您的密码由管理员设置，请先修改为只有您知道的密码。"
            elif user.password_expired():
                reason = f"您的密码已使用超过{settings.YUANQU_PASSWORD_MAX_AGE_DAYS}天，请先修改密码。"
            if reason:
                url = reverse("users:password_change")
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                messages.warning(request, reason)
                return redirect(url)
        return self.get_response(request)
