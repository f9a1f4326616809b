"""Login with lockout, logout and password change, each written to the audit trail."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from yuanqu.core.changelog import audit
from yuanqu.core.context import client_ip

from . import otp
from .models import LoginThrottle, User

# One answer for an unknown account, a wrong password and a locked account or address: the
# page never tells whether an account exists. The audit trail says what happened.
REFUSED = "用户名或密码错误，或登录失败次数过多已暂时锁定。请稍后再试，或联系安全管理员。"


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=4096)


def _open(queryset, now):
    return queryset.filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))


def reserve_address(address, now) -> bool:
    """Take one attempt from the address's allowance in one UPDATE; False when it has none
    left or is locked. A new window starts once the last one is over."""
    if not address:
        return True
    # One INSERT … ON CONFLICT DO NOTHING: no read before the write, so parallel requests
    # neither collide on the unique address nor wait on each other's snapshot.
    LoginThrottle.objects.bulk_create(
        [LoginThrottle(address=address, window_start=now)], ignore_conflicts=True
    )
    window = timedelta(minutes=settings.YUANQU_LOGIN_ADDRESS_WINDOW_MINUTES)
    rows = LoginThrottle.objects.filter(address=address)
    _open(rows.filter(window_start__lt=now - window), now).update(failures=0, window_start=now)
    limit = settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES
    return bool(_open(rows.filter(failures__lt=limit), now).update(failures=F("failures") + 1))


def reserve_account(account, now) -> bool:
    """Take one attempt from the account's allowance in one UPDATE, before its password is
    checked: however many requests arrive together, at most the limit's number of them check
    a password before the lock. False when the account is locked or has no attempt left."""
    rows = User.objects.filter(pk=account.pk, failed_login_count__lt=settings.YUANQU_LOGIN_MAX_FAILURES)
    return bool(_open(rows, now).update(failed_login_count=F("failed_login_count") + 1))


def _lock_address(request, address, now):
    until = now + timedelta(minutes=settings.YUANQU_LOGIN_LOCK_MINUTES)
    limit = settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES
    locked = LoginThrottle.objects.filter(address=address, failures__gte=limit).update(
        failures=0, locked_until=until, window_start=now
    )
    if locked:
        audit(
            "address_locked",
            user_name="",
            detail=f"来源地址 {address} 连续{limit}次登录失败，锁定至{timezone.localtime(until):%Y-%m-%d %H:%M}",
            data={"address": address},
            request=request,
        )


def _lock_account(request, account, now):
    until = now + timedelta(minutes=settings.YUANQU_LOGIN_LOCK_MINUTES)
    limit = settings.YUANQU_LOGIN_MAX_FAILURES
    locked = User.objects.filter(pk=account.pk, failed_login_count__gte=limit).update(
        failed_login_count=0, locked_until=until
    )
    if locked:
        audit(
            "lockout",
            user=account,
            detail=f"连续{limit}次登录失败，锁定至{timezone.localtime(until):%Y-%m-%d %H:%M}",
            request=request,
        )


def attempt_login(request, username: str, password: str):
    """The user when the password is right and neither the address nor the account is
    locked; None otherwise, with the reason in the audit trail."""
    now = timezone.now()
    address = client_ip(request)
    if not reserve_address(address, now):
        make_password(password)  # as slow as a real check: the answer's time tells nothing
        audit(
            "login_locked",
            user_name=username[:150],
            detail=f"来源地址 {address} 锁定期间尝试登录",
            request=request,
        )
        return None
    account = User.objects.filter(username=username).first()
    if account is not None and not reserve_account(account, now):
        make_password(password)
        audit("login_locked", user=account, detail="锁定期间尝试登录", request=request)
        return None
    user = authenticate(request, username=username, password=password)
    if user is not None:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        if address:  # a good login is no failure of the address
            LoginThrottle.objects.filter(address=address, failures__gt=0).update(failures=F("failures") - 1)
        return user
    if account is None:
        audit("login_failed", user_name=username[:150], detail="用户名不存在", request=request)
    else:
        failures = User.objects.filter(pk=account.pk).values_list("failed_login_count", flat=True).first()
        audit("login_failed", user=account, detail=f"密码错误（第{failures}次）", request=request)
        _lock_account(request, account, now)
    if address:
        _lock_address(request, address, now)
    return None


def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = attempt_login(request, username, form.cleaned_data["password"])
        if user is None:
            form.add_error(None, REFUSED)
        elif otp.needs_code(user):
            return otp.start(request, user, next_url)
        else:
            login(request, user)
            audit("login", user=user, request=request)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = ""
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "users/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit("logout", user=request.user, request=request)
    logout(request)
    return redirect("users:login")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError("新密码不能与原密码相同")
        return password


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "users/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        # The user's own password now: no longer the administrator's, its age starts again
        # (User.set_password), and API tokens made with the old one stop working.
        form.user.must_change_password = False
        response = super().form_valid(form)
        revoked = Token.objects.filter(user=self.request.user).delete()[0]
        audit(
            "password_changed", user=self.request.user, request=self.request, data={"tokens_revoked": revoked}
        )
        messages.success(self.request, "密码已修改。" + ("原接口令牌已失效，请重新生成。" if revoked else ""))
        return response
