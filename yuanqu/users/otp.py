"""Two-factor login: a time-based one-time code (TOTP, django-otp) after the password.

Required for the roles in ``YUANQU_OTP_REQUIRED_ROLES`` (the three administrators and leaders
in production), optional for everyone else. A user who has bound an authenticator always
gives a code. After the password the user is not logged in yet: the session only remembers
who is half-way (``PENDING``), and the next page asks for the code — or, for a required role
with no authenticator, binds one first (the secret as an ``otpauth://`` URI and in plain text,
for any authenticator app), then logs in.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuanqu.core.changelog import audit

from .models import User

PENDING = "_yuanqu_otp_user"
PENDING_NEXT = "_yuanqu_otp_next"


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="动态口令",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"required": "请填写动态口令", "invalid": "动态口令为6位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def required_for(user) -> bool:
    return user.role in settings.YUANQU_OTP_REQUIRED_ROLES


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_code(user) -> bool:
    return required_for(user) or confirmed_device(user) is not None


def start(request, user, next_url):
    """The password was right: remember who is half-way and send them to the code step."""
    request.session.cycle_key()
    request.session[PENDING] = user.pk
    request.session[PENDING_NEXT] = next_url
    return redirect("users:otp_verify" if confirmed_device(user) else "users:otp_enrol")


def _pending(request):
    pk = request.session.get(PENDING)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def _finish(request, user):
    next_url = request.session.pop(PENDING_NEXT, "")
    request.session.pop(PENDING, None)
    login(request, user)
    audit("login", user=user, detail="密码与动态口令", request=request)
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def _check(request, user, device, form) -> bool:
    """Whether the form's code is the device's now (django-otp slows repeated failures)."""
    allowed, _ = device.verify_is_allowed()
    if allowed and device.verify_token(form.cleaned_data["code"].strip()):
        return True
    audit("otp_failed", user=user, detail="动态口令错误", request=request)
    form.add_error(
        "code", "动态口令错误或已过期，请查看验证器上的最新口令" if allowed else "错误次数过多，请稍后再试"
    )
    return False


def verify(request):
    """The second step of the login for a user with a bound authenticator."""
    user = _pending(request)
    device = confirmed_device(user) if user else None
    if device is None:
        return redirect("users:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(request, user, device, form):
        return _finish(request, user)
    return render(request, "users/otp_verify.html", {"form": form, "pending_user": user})


def _unconfirmed_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)


def _bind(request, user, form) -> bool:
    device = _unconfirmed_device(user)
    if not _check(request, user, device, form):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    audit("otp_enrolled", user=user, detail="绑定动态口令验证器", request=request)
    return True


def enrol(request):
    """Bind an authenticator: during the login of a required role that has none (public,
    the half-way session), or from the account menu for anyone logged in."""
    logged_in = request.user.is_authenticated
    user = request.user if logged_in else _pending(request)
    if user is None:
        return redirect("users:login")
    if not logged_in and confirmed_device(user) is not None:
        return redirect("users:otp_verify")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _bind(request, user, form):
        if logged_in:
            messages.success(request, "已绑定动态口令验证器，今后登录须填写动态口令。")
            return redirect("users:otp_enrol")
        return _finish(request, user)
    device = _unconfirmed_device(user)
    context = {
        "form": form,
        "pending_user": user,
        "bound": confirmed_device(user) is not None,
        "required": required_for(user),
        "uri": device.config_url,
        "secret": _base32(device.bin_key),
    }
    return render(request, "users/otp_enrol.html", context)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")
