"""The project's URLs for the summary's link to the target sheet (``targets:sheet``). The
sheet's page is added to the targets app separately; until it is there, a page at /targets/
that opens for those who may view targets stands in for it, so the link can be followed.
Once the targets app has its sheet, these are exactly the project's URLs."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View

from yuanqu import urls
from yuanqu.targets import urls as target_urls
from yuanqu.targets.models import Target
from yuanqu.users.permissions import has_perm


class SheetView(View):
    def allows(self, **kwargs):
        return has_perm(self.request.user, Target, "view")

    def get(self, request):
        return HttpResponse("目标责任书")


if any(getattr(p, "name", None) == "sheet" for p in target_urls.urlpatterns):
    urlpatterns = urls.urlpatterns
else:
    sheet = ([path("", SheetView.as_view(), name="sheet")], "targets")
    urlpatterns = [path("targets/", include(sheet)), *urls.urlpatterns]
