"""The target sheet's pages: 目标责任书 (every target of a year and how it stands in a month,
with its Excel export), the targets as records, a department's monthly reports, and the
light bands edited a kind at a time."""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views import View

from yuanqu.users.choices import Role
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.bands import BandSetEditView, band_sets
from yuanqu.utilities.excel import export_xlsx, query_filters
from yuanqu.utilities.links import can_open
from yuanqu.utilities.periods import (
    describe,
    describe_ytd,
    id_param,
    last_complete_month,
    parse_period,
    year_param,
)
from yuanqu.utilities.templatetags.numbers import number

from .choices import BandKind, TargetKind
from .filtersets import TargetFilterSet
from .forms import TargetForm, TargetReportForm, percent_text
from .models import LightBand, Target, TargetReport
from .progress import sheet, stand, stand_by_month
from .tables import TargetTable

TARGETS = Target.objects.select_related("unit", "department", "zone", "scope_department")


# --- what the sheet and a target's page show ---------------------------------------------------


def default_month(year: int, today_month: datetime.date | None = None) -> datetime.date:
    """The month a year's sheet opens on: the last complete month when it falls in that year,
    December for a past year, January for a year still to come."""
    latest = today_month or last_complete_month()
    if year == latest.year:
        return latest
    return datetime.date(year, 12 if year < latest.year else 1, 1)


def actual_text(standing) -> str:
    """The actual as the plan counts it: growth in % (“8.8%”), a total in the target's unit."""
    if standing.actual is None:
        return "—"
    if standing.target.kind == TargetKind.GROWTH:
        return f"{round(standing.actual, 1):.1f}%"
    return f"{number(standing.actual)}{standing.target.unit}"


def percent(fraction) -> str:
    return "—" if fraction is None else f"{fraction * 100:.1f}%"


def source_text(target) -> str:
    return target.figure or "责任单位填报"


def row_of(standing, user) -> dict:
    """One line of the sheet as the page and the export show it."""
    link = standing.link
    if link and not can_open(user, link.split("?")[0]):
        link = ""
    target = standing.target
    return {
        "target": target,
        "standing": standing,
        "stated": target.stated(),
        "actual": actual_text(standing),
        "link": link,
        "completion": percent(standing.completion),
        "time_progress": percent(standing.time_progress),
        "gap": standing.gap_text(),
        "light": standing.light,
        "light_label": standing.light_label,
        "department": target.department,
        "source": source_text(target),
        # the gap has its own column: 说明 keeps the other notes
        "note": "；".join(n for n in standing.notes if n and n != standing.gap_text()),
    }


def light_counts(rows) -> dict:
    counts = Counter(row["light"] or "none" for row in rows)
    return {"total": len(rows), **{key: counts.get(key, 0) for key in ("green", "yellow", "red", "none")}}


def department_summary(rows) -> list[dict]:
    """Targets and lights per responsible department, the most red (then yellow) first, so a
    lagging department heads the block."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["department"], []).append(row)
    summary = [{"department": department, **light_counts(group)} for department, group in groups.items()]
    summary.sort(key=lambda s: (-s["red"], -s["yellow"], s["department"] is None, str(s["department"] or "")))
    return summary


# --- 目标责任书 ---------------------------------------------------------------------------------

EXPORT_HEADER = [
    "指标",
    "目标",
    "完成",
    "完成率",
    "序时进度",
    "差距",
    "差距（百分点）",
    "亮灯",
    "责任单位",
    "数据来源",
    "说明",
]


class SheetView(View):
    """目标责任书: the year's targets the user may view, each with how it stands at the end of
    the month, the count of each light and the lights of each responsible department."""

    template_name = "targets/sheet.html"

    def allows(self, **kwargs):
        """The page's own check, asked by the links to it too: staff-side users with a view
        grant on the targets (an enterprise user has its own portal)."""
        user = self.request.user
        return user.is_authenticated and user.role != Role.ENTERPRISE and has_perm(user, Target, "view")

    def choose(self, request):
        """(year, month, department id, errors) from the query string."""
        errors = []
        latest = last_complete_month()
        year, error = year_param(request, latest.year)
        errors.append(error)
        period = default_month(year)
        text = (request.GET.get("month") or "").strip()
        if text:
            if text.isascii() and text.isdigit() and 1 <= int(text) <= 12:
                period = datetime.date(year, int(text), 1)
            else:
                errors.append(f"月份“{text}”格式不对，应为1到12")
        return year, period, id_param(request, "department"), [e for e in errors if e]

    def years(self, user):
        return restrict(Target.objects.order_by(), user, "view").values_list("year", flat=True).distinct()

    def get(self, request):
        if not self.allows():
            raise PermissionDenied("没有查看目标责任书的权限")
        user = request.user
        year, period, department_id, errors = self.choose(request)
        exporting = request.GET.get("export") == "xlsx"
        if exporting and not has_perm(user, Target, "export"):
            raise PermissionDenied("没有导出权限")
        targets = sheet(year, user)
        if exporting:
            targets = targets.restrict(user, "export")
        # The sheet is the committee's: every viewer reads the same progress, computed over
        # all records as the assessment computes it (the links to the records behind a figure
        # are still offered only to those who may open them).
        rows = [row_of(s, user) for s in stand(targets, period)]
        departments = sorted({r["department"] for r in rows if r["department"]}, key=lambda d: d.name)
        department = next((d for d in departments if d.pk == department_id), None)
        if department_id is not None and department is None:
            errors.append(f"{year}年目标中没有该责任单位的目标，已显示全部目标")
        shown = [r for r in rows if r["department"] == department] if department else rows
        if exporting:
            return self.export(request, year, period, department, shown)
        context = {
            "year": year,
            "period": period,
            "period_label": describe_ytd(period),
            "months": range(1, 13),
            "years": sorted({year, last_complete_month().year, *self.years(user)}),
            "department": department,
            "departments": departments,
            "errors": errors,
            "rows": shown,
            "counts": light_counts(shown),
            "summary": department_summary(rows),
            "can_export": has_perm(user, Target, "export"),
        }
        return render(request, self.template_name, context)

    def export(self, request, year, period, department, rows):
        def cells(row):
            standing = row["standing"]
            return [
                row["target"].name,
                row["stated"],
                row["actual"] if standing.actual is not None else "",
                row["completion"] if standing.completion is not None else "",
                row["time_progress"] if standing.time_progress is not None else "",
                row["gap"],
                None if standing.gap_pp is None else round(standing.gap_pp, 2),
                row["light_label"],
                str(row["department"] or ""),
                row["source"],
                row["note"],
            ]

        title = f"{year}年目标责任书（{describe_ytd(period)}）"
        if department is not None:
            title = f"{year}年目标责任书（{department}，{describe_ytd(period)}）"
        return export_xlsx(
            request,
            title=title,
            model=Target,
            header=EXPORT_HEADER,
            rows=[cells(row) for row in rows],
            filters=query_filters(request),
            filename=f"{year}年目标责任书-{period:%Y%m}.xlsx",
        )


# --- targets as records ------------------------------------------------------------------------


class TargetListView(generic.ObjectListView):
    queryset = TARGETS
    filterset = TargetFilterSet
    table = TargetTable


class TargetView(generic.ObjectView):
    """A target: its fields, how it stands in the month asked for, month by month through the
    year, and the department's reports."""

    queryset = TARGETS.prefetch_related("reports")
    template_name = "targets/target.html"

    def extra_context(self, obj):
        user = self.request.user
        latest = default_month(obj.year)
        period = latest
        error = ""
        text = (self.request.GET.get("period") or "").strip()
        if text:
            try:
                period = parse_period(text)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                if period.year != obj.year:
                    error = f"月份{period:%Y-%m}不在目标年度{obj.year}年内，已显示{describe(latest)}"
                    period = latest
        done = last_complete_month()
        # the months of the year that have ended: all twelve of a past year, none of a future one
        ended = 12 if obj.year < done.year else done.month if obj.year == done.year else 0
        months = [datetime.date(obj.year, m, 1) for m in range(1, ended + 1)]
        by_month = [row_of(s, user) for s in stand_by_month(obj, months)]
        current = next((row for row in by_month if row["standing"].period == period), None)
        if current is None:
            current = row_of(stand([obj], period)[0], user)
        reports = sorted(obj.reports.all(), key=lambda r: r.period)
        return {
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "period_label": describe_ytd(period),
            "error": error,
            "current": current,
            "by_month": by_month,
            "reports": reports,
            "can_report": can_add_child(user, TargetReport, "target", obj),
            "phasing": [percent_text(share) for share in obj.phasing] if obj.phasing else None,
            "tolerance_unit": "个百分点" if obj.kind == TargetKind.GROWTH else "%",
        }


class TargetEditView(generic.ObjectEditView):
    queryset = Target.objects.all()
    form = TargetForm
    template_name = "targets/target_edit.html"

    def initial(self, obj):
        user = self.request.user
        initial = {"year": last_complete_month().year}
        if user.role == Role.STAFF and user.department_id:
            initial["department"] = user.department_id  # 部门人员 set their own department's targets
        return initial


class TargetDeleteView(generic.ObjectDeleteView):
    queryset = Target.objects.all()


# --- a department's reports ------------------------------------------------------------------


class TargetReportEditView(generic.ObjectEditView):
    """Add (``?target=ID`` preselects the target) or correct a month's report; the saved
    report must be within the user's grant (部门人员: their own department's targets)."""

    queryset = TargetReport.objects.select_related("target")
    form = TargetReportForm

    def initial(self, obj):
        pk = id_param(self.request, "target")
        target = restrict(Target.objects.filter(pk=pk), self.request.user, "view").first() if pk else None
        if target is None:
            return {}
        latest = default_month(target.year)
        return {"target": target, "period": latest}


class TargetReportDeleteView(generic.ObjectDeleteView):
    queryset = TargetReport.objects.select_related("target")


# --- light bands ------------------------------------------------------------------------------


class LightBandListView(View):
    """The bands of each kind with their coverage check."""

    def allows(self, **kwargs):
        return has_perm(self.request.user, LightBand, "view")

    def get(self, request):
        if not self.allows():
            raise PermissionDenied("没有查看权限")
        sets = band_sets(LightBand, list(restrict(LightBand.objects.all(), request.user, "view")), BandKind)
        return render(
            request,
            "targets/lightband_list.html",
            {"sets": sets, "can_change": has_perm(request.user, LightBand, "change")},
        )


class LightBandSetEditView(BandSetEditView):
    model = LightBand
    kinds = BandKind
    title = "修改目标亮灯规则"
    list_url = "targets:lightband_list"
