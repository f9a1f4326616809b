from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_safe

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from .filtersets import (
    AuditEventFilterSet,
    CalendarDayFilterSet,
    CalendarYearFilterSet,
    ObjectChangeFilterSet,
)
from .forms import CalendarDayForm, CalendarYearForm, HolidayNoticeForm
from .models import AuditEvent, CalendarDay, CalendarYear, ObjectChange
from .search import global_search
from .tables import AuditEventTable, CalendarDayTable, CalendarYearTable, ObjectChangeTable
from .workdays import LIBRARY_YEARS, calendar_warnings


def home(request):
    """The start page: the user's own pages (an enterprise user) or shortcuts, then the panels
    the apps register (``yuanqu.registry.register_home_panel``), each deciding what this user
    may see. A panel's HTML comes safe from ``format_html`` or a template; anything else it
    returned would be shown escaped, as text."""
    from yuanqu.registry import home_panels, resolve
    from yuanqu.users.choices import Role

    user = request.user

    def rendered(slot):
        return [html for panel in home_panels(slot) if (html := resolve(panel.render)(request))]

    context = {"today": timezone.localdate(), "home_panels": rendered("main")}
    if user.role == Role.ENTERPRISE:
        context["own_enterprise"] = user.enterprise
    if not context.get("own_enterprise"):
        context["home_actions"] = rendered("actions")
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
    """403: a denial is an audit event (who, which page, why; at most one a minute for the
    same person and page), not an error with a traceback."""
    from .middleware import audit_denial

    reason = str(exception or "")
    audit_denial(request, reason=reason)
    response = render(request, "403.html", {"exception": reason}, status=403)
    response._has_been_logged = True  # Django would log the denial with its traceback
    response._denial_audited = True
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
        return {
            "calendar_warnings": calendar_warnings(),
            "library_years": f"{first}–{last}年",
            "can_enter_notice": can_enter_notice(self.request.user),
        }


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


# --- next year's calendar from the State Council's notice ---------------------------------------


def can_enter_notice(user) -> bool:
    """Who may store a notice: whoever may add, change and delete calendar days and declare
    a year (the system administrator by default). The page and its buttons ask this."""
    return all(has_perm(user, CalendarDay, action) for action in ("view", "add", "change", "delete")) and all(
        has_perm(user, CalendarYear, action) for action in ("add", "change")
    )


def notice_months(notice) -> list[dict]:
    """The notice's year as twelve month grids (weeks from Monday), each day marked."""
    import calendar as pycalendar

    from .holiday_notice import weekday_name

    marks = {d.date: ("holiday", "放假", d.name) for d in notice.holidays}
    marks.update({d.date: ("workday", "上班", d.name) for d in notice.workdays})
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(notice.year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                kind, state, name = marks.get(day, ("weekend" if day.weekday() >= 5 else "", "", ""))
                title = f"{day.month}月{day.day}日 {weekday_name(day)}" + (f" {name}{state}" if state else "")
                cells.append({"day": day.day, "kind": kind, "title": title, "state": state})
            weeks.append(cells)
        count = sum(1 for d in marks if d.year == notice.year and d.month == month)
        months.append({"month": month, "weeks": weeks, "marked": count})
    return months


class CalendarNoticeView(View):
    """Paste the notice → see what was read on a calendar and what it changes → confirm → saved."""

    template_name = "core/calendar_notice.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_enter_notice(request.user):
            raise PermissionDenied("没有维护工作日历的权限")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form, notice=None, changes=None):
        from .holiday_notice import notice_title, weekday_name

        context = {"form": form, "notice": notice, "changes": changes}
        if notice is not None:
            context.update(
                title=notice_title(notice.year),
                months=notice_months(notice),
                rows=[(d, "放假", weekday_name(d.date)) for d in notice.holidays]
                + [(d, "上班", weekday_name(d.date)) for d in notice.workdays],
            )
            context["rows"].sort(key=lambda row: row[0].date)
        return render(request, self.template_name, context)

    def get(self, request):
        return self.render_page(request, HolidayNoticeForm())

    def post(self, request):
        from .holiday_notice import NoticeError, notice_changes, read_notice, save_notice

        form = HolidayNoticeForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form)
        try:
            notice = read_notice(form.cleaned_data["text"], form.cleaned_data["year"])
        except NoticeError as exc:
            form.add_error("text", f"无法完整读取通知，未保存：{exc}")
            return self.render_page(request, form)
        if "confirm" not in request.POST:
            visible = restrict(CalendarDay.objects.all(), request.user, "view")
            return self.render_page(request, form, notice, notice_changes(notice, visible))
        changes = save_notice(notice, request=request)
        messages.success(
            request, f"已按通知保存{notice.year}年工作日历，并声明该年度已完整录入：{changes.summary()}。"
        )
        return redirect(f"{reverse('core:calendarday_list')}?year={notice.year}")
