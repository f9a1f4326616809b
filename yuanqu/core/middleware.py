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
