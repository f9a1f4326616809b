from django.apps import apps
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.views import ObjectListView

from .filtersets import AuditEventFilterSet, ObjectChangeFilterSet
from .models import AuditEvent, ObjectChange
from .search import global_search
from .tables import AuditEventTable, ObjectChangeTable


def home(request):
    """The start page: what this user can open, with the registry's headline counts."""
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.enterprises.services import qualification_counts

    context = {"today": timezone.localdate()}
    if has_perm(request.user, Enterprise, "view"):
        enterprises = restrict(Enterprise.objects.all(), request.user, "view")
        context["enterprise_total"] = enterprises.count()
        context["qualification_counts"] = [c for c in qualification_counts(enterprises) if c[2]]
    return render(request, "home.html", context)


def search(request):
    query = (request.GET.get("q") or "").strip()
    results = global_search(request.user, query) if query else []
    return render(request, "search.html", {"query": query, "results": results})


class ObjectChangeListView(ObjectListView):
    queryset = ObjectChange.objects.select_related("content_type")
    filterset = ObjectChangeFilterSet
    table = ObjectChangeTable
    template_name = "core/objectchange_list.html"


class AuditEventListView(ObjectListView):
    queryset = AuditEvent.objects.all()
    filterset = AuditEventFilterSet
    table = AuditEventTable
    template_name = "core/auditevent_list.html"


@require_safe
def objectchange(request, pk):
    change = get_object_or_404(restrict(ObjectChange.objects.all(), request.user, "view"), pk=pk)
    model = change.content_type.model_class()
    return render(
        request,
        "core/objectchange.html",
        {"object": change, "model_name": model._meta.verbose_name if model else change.content_type.model},
    )


def healthz(request):
    from django.http import JsonResponse

    apps.get_app_config("core")
    return JsonResponse({"status": "ok"})
