from django.urls import include, path

from yuanqu.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Ahead of the apps' pages, which are all included at the root: an API request is resolved
    # against the API's patterns without trying every page's (~260) first. No page lives
    # under api/ (yuanqu/tests/test_urls_order.py).
    path("api/", include("yuanqu.api_urls")),
    path("", include("yuanqu.users.urls")),
    path("", include("yuanqu.core.urls")),
    path("", include("yuanqu.enterprises.urls")),
    path("", include("yuanqu.economy.urls")),
    path("", include("yuanqu.evaluation.urls")),
    path("", include("yuanqu.demands.urls")),
    path("", include("yuanqu.supervision.urls")),
    path("", include("yuanqu.investment.urls")),
    path("", include("yuanqu.projects.urls")),
    path("", include("yuanqu.notifications.urls")),
    path("", include("yuanqu.jobs.urls")),
    path("", include("yuanqu.figures.urls")),
    path("", include("yuanqu.targets.urls")),
    path("", include("yuanqu.documents.urls")),
]

handler403 = core_views.permission_denied
