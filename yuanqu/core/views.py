from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from .filtersets import (
    AuditEventFilterSet,
    CalendarDayFilterSet,
    CalendarYearFilterSet,
    ObjectChangeFilterSet,
)
from .forms import CalendarDayForm, CalendarYearForm
from .models import AuditEvent, CalendarDay, CalendarYear, ObjectChange
from .search import global_search
from .tables import AuditEventTable, CalendarDayTable, CalendarYearTable, ObjectChangeTable
from .workdays import LIBRARY_YEARS, calendar_warnings


def home(request):
    """The start page: what this user can open, with the registry's headline counts."""
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.enterprises.services import qualification_counts
    from yuanqu.users.choices import Role

    user = request.user
    context = {"today": timezone.localdate()}
    if user.role == Role.ENTERPRISE:
        # An enterprise user's start page is its own pages, not the registry's counts.
        context["own_enterprise"] = user.enterprise
        return render(request, "home.html", context)
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


def permission_denied(request, exception=None):
    """403: a denial is an audit event (who, which page, why), not an error with a traceback."""
    from yuanqu.core.changelog import audit

    from .choices import AuditEventKind

    reason = str(exception or "")
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    audit(
        AuditEventKind.ACCESS_DENIED,
        user=user,
        detail=f"{request.method} {request.path}" + (f"：{reason}" if reason else ""),
        data={"method": request.method, "path": request.path, "reason": reason},
        request=request,
    )
    response = render(request, "403.html", {"exception": reason}, status=403)
    response._has_been_logged = True  # Django would log the denial with its traceback
    return response


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on every page: the icon shipped in static."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    response = redirect(static("favicon.ico"))
    response["Cache-Control"] = "max-age=86400"
    return response


def healthz(request):
    """Liveness for a load balancer: the application answers and its database too."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class CalendarDayListView(ObjectListView):
    """The working-day calendar, with a red warning for each coming year it lacks."""

    queryset = CalendarDay.objects.all()
    filterset = CalendarDayFilterSet
    table = CalendarDayTable
    template_name = "core/calendarday_list.html"

    def extra_context(self, queryset):
        first, last = LIBRARY_YEARS[0], LIBRARY_YEARS[-1]
        return {"calendar_warnings": calendar_warnings(), "library_years": f"{first}–{last}年"}


class CalendarDayView(ObjectView):
    queryset = CalendarDay.objects.all()


class CalendarDayEditView(ObjectEditView):
    queryset = CalendarDay.objects.all()
    form = CalendarDayForm


class CalendarDayDeleteView(ObjectDeleteView):
    queryset = CalendarDay.objects.all()


class CalendarYearListView(ObjectListView):
    queryset = CalendarYear.objects.all()
    filterset = CalendarYearFilterSet
    table = CalendarYearTable
    template_name = "core/calendaryear_list.html"


class CalendarYearView(ObjectView):
    queryset = CalendarYear.objects.all()


class CalendarYearEditView(ObjectEditView):
    queryset = CalendarYear.objects.all()
    form = CalendarYearForm


class CalendarYearDeleteView(ObjectDeleteView):
    queryset = CalendarYear.objects.all()
