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
