from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import IsAuthenticated

# The schema and its docs hold no data, but they map the platform's internals, so they are
# for logged-in users only (session or token): the schema answers 401 to anyone else, the
# docs page sends them to the login page.
schema = SpectacularAPIView.as_view(permission_classes=[IsAuthenticated])
# Redoc runs its search index in a worker made from a blob: URL, and its bundle inserts two
# style sheets before it can be given the page's nonce: they are allowed by their hashes
# (drf-spectacular-sidecar's version is pinned; yuanqu/e2e/test_csp.py notices a change).
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty sheet it starts with
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]
docs = csp_update({"worker-src": [SELF, "blob:"], "style-src": REDOC_STYLE_HASHES})(
    SpectacularRedocView.as_view(
        url_name="api-schema", template_name="api/redoc.html", permission_classes=[IsAuthenticated]
    )
)

urlpatterns = [
    path("", include("yuanqu.enterprises.api.urls")),
    path("", include("yuanqu.investment.api.urls")),
    path("", include("yuanqu.projects.api.urls")),
    path("", include("yuanqu.demands.api.urls")),
    path("", include("yuanqu.supervision.api.urls")),
    path("economy/", include("yuanqu.economy.api.urls")),
    path("schema/", schema, name="api-schema"),
    path("docs/", login_required(docs), name="api-docs"),
]
