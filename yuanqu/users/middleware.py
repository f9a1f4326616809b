from django.contrib.auth.views import redirect_to_login

PUBLIC_PREFIXES = ("/login/", "/static/", "/api/", "/healthz", "/favicon.ico")


class LoginRequiredMiddleware:
    """Every page needs a logged-in user, except the login page, static files and the API
    (which answers 401/403 itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.htmx:
                from django.http import HttpResponse

                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"/login/?next={request.path}"
                return response
            return redirect_to_login(request.get_full_path(), "/login/")
        return self.get_response(request)
