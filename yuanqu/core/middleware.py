import datetime

from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .context import ChangeContext, _current, client_ip


class RequestContextMiddleware:
    """Record the acting user and a request id for everything this request changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        ctx = ChangeContext(
            request=request,
            ip=client_ip(request),
            source=source,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        request.id = ctx.request_id
        token = _current.set(ctx)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class NoStoreMiddleware:
    """Nothing the application answers is kept by a browser or a proxy cache.

    Pages, API answers and exports show contacts, mobiles, ID numbers and accounts; rather
    than sort out which do, every response of a view is ``no-store`` (and ``Pragma:
    no-cache`` for HTTP/1.0 caches). A view that set its own Cache-Control keeps it (the
    favicon redirect). Static files never get here: WhiteNoise answers them first, with their
    long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True)
            response.headers["Pragma"] = "no-cache"
        return response


# A denied request is audited at most once a minute for the same person (or, logged out,
# address) and path: a script hammering a page must not flood the audit trail.
DENIAL_AUDIT_INTERVAL = datetime.timedelta(seconds=60)


def audit_denial(request, reason="", status=403):
    """One ``access_denied`` event for this request, unless the same one was written within
    the last minute. Returns whether it wrote one."""
    from .changelog import audit
    from .choices import AuditEventKind
    from .models import AuditEvent

    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    recent = AuditEvent.objects.filter(
        kind=AuditEventKind.ACCESS_DENIED,
        time__gte=timezone.now() - DENIAL_AUDIT_INTERVAL,
        data__path=request.path,
    )
    recent = (
        recent.filter(user_id=user.pk) if user else recent.filter(user_id__isnull=True, ip=client_ip(request))
    )
    if recent.exists():
        return False
    audit(
        AuditEventKind.ACCESS_DENIED,
        user=user,
        detail=f"{request.method} {request.path}" + (f"：{reason}" if reason else ""),
        data={"method": request.method, "path": request.path, "reason": reason, "status": status},
        request=request,
    )
    return True


def _hidden_record(request) -> bool:
    """Whether a 404 hides a record that exists but is outside what the user may see
    (restrict() answers such a request like a missing one)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    pk = match.kwargs.get("pk")
    view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    queryset = getattr(view, "queryset", None)
    if pk is None or queryset is None or not hasattr(queryset, "model"):
        return False
    try:
        return queryset.model._default_manager.filter(pk=pk).exists()
    except (ValueError, TypeError, ValidationError):
        return False


class DeniedRequestAuditMiddleware:
    """Denials the 403 page does not see: the API's 403s (DRF answers them itself) and a 404
    for a record that exists but lies outside the user's scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "_denial_audited", False):
            return response
        user = getattr(request, "user", None)
        if response.status_code == 403 and request.path.startswith("/api/"):
            audit_denial(request, reason=_api_reason(response), status=403)
        elif (
            response.status_code == 404
            and user is not None
            and user.is_authenticated
            and _hidden_record(request)
        ):
            audit_denial(request, reason="记录不在本人可见范围内", status=404)
        return response


def _api_reason(response) -> str:
    data = getattr(response, "data", None)
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])[:200]
    return ""
