"""Login with lockout, logout and password change, each written to the audit trail."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yuanqu.core.changelog import audit

from .models import User


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        account = User.objects.filter(username=username).first()
        now = timezone.now()
        if account is not None and account.is_locked:
            audit("login_locked", user=account, detail="锁定期间尝试登录", request=request)
            form.add_error(None, f"账号已锁定，请于{timezone.localtime(account.locked_until):%H:%M}后再试，或联系安全管理员解锁。")
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is not None:
                User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
                login(request, user)
                audit("login", user=user, request=request)
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    next_url = ""
                return redirect(next_url or settings.LOGIN_REDIRECT_URL)
            if account is None:
                audit("login_failed", user_name=username[:150], detail="用户名不存在", request=request)
                form.add_error(None, "用户名或密码错误。")
            else:
                failures = account.failed_login_count + 1
                if failures >= settings.YUANQU_LOGIN_MAX_FAILURES:
                    until = now + timedelta(minutes=settings.YUANQU_LOGIN_LOCK_MINUTES)
                    User.objects.filter(pk=account.pk).update(failed_login_count=0, locked_until=until)
                    audit("login_failed", user=account, detail=f"密码错误（第{failures}次）", request=request)
                    audit("lockout", user=account, detail=f"连续{failures}次登录失败，锁定至{until:%Y-%m-%d %H:%M}", request=request)
                    form.add_error(
                        None,
                        f"连续{failures}次登录失败，账号已锁定{settings.YUANQU_LOGIN_LOCK_MINUTES}分钟。",
                    )
                else:
                    User.objects.filter(pk=account.pk).update(failed_login_count=failures)
                    audit("login_failed", user=account, detail=f"密码错误（第{failures}次）", request=request)
                    form.add_error(None, "用户名或密码错误。")
    return render(request, "users/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit("logout", user=request.user, request=request)
    logout(request)
    return redirect("users:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "users/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit("password_changed", user=self.request.user, request=self.request)
        messages.success(self.request, "密码已修改。")
        return response
