from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from yuanqu.users.models import Zone
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.excel import export_xlsx, query_filters
from yuanqu.utilities.grants import get_for_action
from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView, MonthlyUploadForm
from yuanqu.utilities.periods import period_param, zone_param

from .analysis import DEFAULT_SORT, STATUSES, chart_data, indicator_detail, series_periods, sort_enterprises
from .choices import IndicatorLevel
from .filtersets import (
    EnterpriseMonthlyValueFilterSet,
    IndicatorFilterSet,
    ZoneMonthlyFigureFilterSet,
)
from .forms import (
    EnterpriseMonthlyValueForm,
    IndicatorForm,
    PeriodLockForm,
    ZoneMonthlyFigureForm,
)
from .importers import MonthlyImporter
from .indicators import display_unit
from .models import EnterpriseMonthlyValue, Indicator, PeriodLock, ZoneMonthlyFigure
from .pagecache import cached_part
from .rollups import scope_for
from .services import (
    describe,
    gap_text,
    growth_against_target,
    indicator_summary,
    latest_period,
    percent,
)
from .tables import EnterpriseMonthlyValueTable, IndicatorTable, ZoneMonthlyFigureTable
from .zone_importers import ZoneFigureImporter

VALUES = EnterpriseMonthlyValue.objects.select_related(
    "enterprise", "enterprise__zone", "indicator", "reported_by"
)


class IndicatorListView(generic.ObjectListView):
    queryset = Indicator.objects.all()
    filterset = IndicatorFilterSet
    table = IndicatorTable


class IndicatorEditView(generic.ObjectEditView):
    queryset = Indicator.objects.all()
    form = IndicatorForm


class IndicatorDeleteView(generic.ObjectDeleteView):
    queryset = Indicator.objects.all()


class EnterpriseMonthlyValueListView(generic.ObjectListView):
    queryset = VALUES
    filterset = EnterpriseMonthlyValueFilterSet
    table = EnterpriseMonthlyValueTable


class EnterpriseMonthlyValueImportView(BulkImportView):
    importer = MonthlyImporter
    upload_form = MonthlyUploadForm


class EnterpriseMonthlyValueImportTemplateView(ImportTemplateView):
    importer = MonthlyImporter


class EnterpriseMonthlyValueView(generic.ObjectView):
    queryset = VALUES

    def extra_context(self, obj):
        # A correction is a new version (from the add form), never an edit of this one.
        return {"can_change": False, "can_delete": False}


class EnterpriseMonthlyValueEditView(generic.ObjectEditView):
    """Only adds: a report for a month that has one already becomes its next version."""

    queryset = EnterpriseMonthlyValue.objects.all()
    form = EnterpriseMonthlyValueForm

    def initial(self, obj):
        pk = self.request.GET.get("enterprise")
        if pk and pk.isdigit():
            from yuanqu.enterprises.models import Enterprise

            return {
                "enterprise": restrict(Enterprise.objects.filter(pk=pk), self.request.user, "view").first()
            }
        return {}


class IndicatorSummaryView(View):
    """Every indicator for a month: the same figures as ``yuanqu indicators``, over the
    records the user may see."""

    template_name = "economy/summary.html"

    def allows(self, **kwargs):
        """The page's own check, asked by the links to it too (``utilities/links.py``)."""
        user = self.request.user
        return has_perm(user, EnterpriseMonthlyValue, "view") or has_perm(user, ZoneMonthlyFigure, "view")

    def get(self, request):
        user = request.user
        if not self.allows():
            raise PermissionDenied("没有查看权限")
        period, error = period_param(request, latest_period)
        zone = zone_param(request)
        rows = indicator_summary(
            period,
            zone,
            values=restrict(EnterpriseMonthlyValue.objects.all(), user, "view"),
            figures=restrict(ZoneMonthlyFigure.objects.all(), user, "view"),
            # The whole park or a grid worker's 片区 read the rollups; other restrictions
            # (own department, own enterprise) go through the restricted value table.
            scope=scope_for(user, zone),
        )
        for row in rows:
            shown = display_unit(row["indicator"])
            row["unit"] = shown.label
            for key in ("month_value", "ytd", "base", "target"):
                row[f"{key}_text"] = shown.text(row[key])
            row["gap_text"] = gap_text(row["gap_pp"])
            row["growth_target_text"] = growth_against_target(row["growth"], row["target_growth"])
            for key in ("growth", "completion", "time_progress"):
                row[f"{key}_pct"] = percent(row[key])
        context = {
            "rows": rows,
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "zone": zone,
            "zones": Zone.objects.all(),
            "error": error,
        }
        return render(request, self.template_name, context)


# --- the indicator page ---------------------------------------------------------------------


def _pct(value):
    return None if value is None else round(value * 100, 1)


def _pp(value):
    return None if value is None else round(value, 2)


def _amounts(shown):
    """Cell functions for a stored amount in the indicator's display unit (unrounded)."""
    return lambda key: lambda r: shown.exact(r[key])


def indicator_tables(shown) -> dict:
    """Each exportable table of the indicator page: (title, [(header, row → cell)]), amounts
    in the indicator's display unit (``shown``), as the page shows them."""
    unit = f"（{shown.label}）"
    total = one = _amounts(shown)
    breakdown = [
        (f"1–N月累计{unit}", total("ytd")),
        (f"上年同期（同口径）{unit}", total("base")),
        ("同比（%）", lambda r: _pct(r["growth"])),
        ("拉动（百分点）", lambda r: _pp(r["pull_pp"])),
        ("占比（%）", lambda r: _pct(r["share"])),
    ]
    enterprise = [
        ("企业", lambda r: r["name"]),
        ("统一社会信用代码", lambda r: r["uscc"]),
        ("片区", lambda r: r["zone"]),
        ("产业链", lambda r: r["chain"]),
        (f"当月值{unit}", one("month_value")),
        (f"1–N月累计{unit}", one("ytd")),
        (f"上年同期累计{unit}", one("last_ytd")),
        (f"增减{unit}", one("change")),
        ("同比（%）", lambda r: _pct(r["growth"])),
        ("拉动（百分点）", lambda r: _pp(r["pull_pp"])),
        ("说明", lambda r: r["note"]),
    ]
    return {
        "series": (
            "月度序列",
            [
                ("月份", lambda r: r["label"]),
                (f"当月值{unit}", total("month_value")),
                (f"上年同月当月值{unit}", total("last_month_value")),
                (f"1–N月累计{unit}", total("ytd")),
                (f"上年同期累计{unit}", total("last_ytd")),
                ("累计同比（%）", lambda r: _pct(r["growth"])),
                ("说明", lambda r: r["note"]),
            ],
        ),
        "chains": ("按产业链", [("产业链", lambda r: r["name"]), *breakdown]),
        "zones": ("按片区", [("片区", lambda r: r["name"]), *breakdown]),
        "enterprises": ("企业明细", enterprise),
        "drags": ("拉低增速最多的企业", enterprise),
    }


TABLE_NAMES = ("series", "chains", "zones", "enterprises", "drags")
ENTERPRISE_COLUMNS = [  # (sort key, header) of the enterprise tables on the page
    ("name", "企业"),
    ("zone", "片区"),
    ("chain", "产业链"),
    ("month_value", "当月值"),
    ("ytd", "1–N月累计"),
    ("last_ytd", "上年同期累计"),
    ("change", "增减"),
    ("growth", "同比"),
    ("pull_pp", "拉动（百分点）"),
]
TEXT_COLUMNS = ("name", "zone", "chain")


def filter_enterprises(rows, params):
    """The enterprise table's filters: name or code, 产业链, and who entered/left/misses data."""
    q = (params.get("q") or "").strip()
    chain = params.get("chain") or ""
    status = params.get("status") or ""
    if q:
        rows = [r for r in rows if q in r["name"] or q.upper() == (r["uscc"] or "")]
    if chain:
        rows = [r for r in rows if r["chain"] == chain]
    if status in STATUSES:
        rows = [r for r in rows if r["status"] == status]
    return rows


def enterprise_rows(detail, params):
    """The enterprise table as the page shows it: filtered, then sorted (``?sort=``)."""
    return sort_enterprises(filter_enterprises(detail["enterprises"], params), params.get("sort") or "")


def _with_texts(rows, shown, keys, detail=False):
    """Adds ``<key>_text`` (display unit, thousands separators) and the percentages."""
    for row in rows:
        for key in keys:
            row[f"{key}_text"] = shown.text(row.get(key), detail)
        row["growth_pct"] = percent(row.get("growth"))
        row["share_pct"] = percent(row.get("share"))
        pull = row.get("pull_pp")
        row["pull_text"] = "—" if pull is None else f"{pull:.2f}"
    return rows


class IndicatorView(generic.ObjectView):
    """An indicator for a month: its 24-month series, breakdowns and enterprises; every table
    exports to Excel (``?export=xlsx&table=series|chains|zones|enterprises``)."""

    queryset = Indicator.objects.all()
    template_name = "economy/indicator.html"

    def source_model(self, indicator):
        return EnterpriseMonthlyValue if indicator.level == IndicatorLevel.ENTERPRISE else ZoneMonthlyFigure

    def detail(self, indicator, period, zone, action):
        user = self.request.user
        return indicator_detail(
            indicator,
            period,
            zone,
            values=restrict(EnterpriseMonthlyValue.objects.all(), user, action),
            figures=restrict(ZoneMonthlyFigure.objects.all(), user, action),
            # The page's series reads the rollups of what the user may view (the whole park
            # or a grid worker's 片区); an export keeps to the value table of its own grant.
            scope=scope_for(user, zone) if action == "view" else None,
        )

    def get(self, request, pk):
        if request.GET.get("export") == "xlsx":
            return self.export(request, self.get_object(pk))
        return super().get(request, pk)

    def extra_context(self, indicator):
        # Built once per (what the user may see, data version, day, query) and then read
        # from the cache with its HTML (``pagecache``).
        request = self.request
        context, body = cached_part(
            request,
            "indicator",
            (indicator.pk, sorted(request.GET.lists())),
            lambda: self.figures(indicator),
            "economy/indicator_body.html",
        )
        return {**context, "body": body}

    def figures(self, indicator) -> dict:
        """The page's own context: the series, the breakdowns and one page of the enterprise
        table (filtered and sorted as asked; figures as text only for the rows shown)."""
        request = self.request
        period, error = period_param(request, latest_period)
        zone = zone_param(request)
        detail = self.detail(indicator, period, zone, "view")
        shown = display_unit(indicator)
        rows, sort = enterprise_rows(detail, request.GET)
        page = Paginator(rows, ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))
        enterprises = list(page.object_list)
        amounts = ("month_value", "ytd", "last_month_value", "last_ytd", "base")
        _with_texts([*detail["series"], *detail["chains"], *detail["zones"]], shown, amounts)
        _with_texts([*enterprises, *detail["drags"]], shown, (*amounts, "change"), detail=True)
        query = request.GET.copy()
        for key in ("export", "table", "sort", "page"):
            query.pop(key, None)
        sort_query = f"&sort={sort}" if sort != DEFAULT_SORT else ""
        return {
            "object": indicator,
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "zone": zone,
            "zones": list(Zone.objects.all()),
            "error": error,
            # every enterprise's row stays out of the cached context: the page shows one page
            "detail": {key: rows for key, rows in detail.items() if key != "enterprises"},
            "shown": shown,
            "enterprises": enterprises,
            "enterprise_count": page.paginator.count,
            "pager": _pager(page, "&".join(filter(None, [query.urlencode(), sort_query.lstrip("&")]))),
            "sort": sort,
            "columns": [sort_column(query, key, header, sort) for key, header in ENTERPRISE_COLUMNS],
            "chains": sorted({r["chain"] for r in detail["enterprises"]}),
            "statuses": [("entered", "新纳统或新报"), ("left", "退库或未报"), ("missing", "缺少当月值")],
            "breakdowns": [("chains", "产业链", detail["chains"]), ("zones", "片区", detail["zones"])],
            "chart": chart_data(indicator, detail["series"], shown),
            "can_export_data": has_perm(request.user, self.source_model(indicator), "export"),
            "query": query.urlencode(),
            "sort_query": sort_query,
            "is_enterprise_level": indicator.level == IndicatorLevel.ENTERPRISE,
        }

    def export(self, request, indicator):
        name = request.GET.get("table", "")
        if name not in TABLE_NAMES:
            raise Http404("没有这张表")
        model = self.source_model(indicator)
        if not has_perm(request.user, model, "export"):
            raise PermissionDenied("没有导出权限")
        period, _error = period_param(request, latest_period)
        zone = zone_param(request)
        detail = self.detail(indicator, period, zone, "export")
        rows = enterprise_rows(detail, request.GET)[0] if name == "enterprises" else detail[name]
        title, columns = indicator_tables(display_unit(indicator))[name]
        title = f"{indicator.name}{title}"
        rows = list(rows)
        where = f"（{zone}）" if zone else ""
        return export_xlsx(
            request,
            title=title,
            model=model,
            header=[h for h, _ in columns],
            rows=([f(r) for _, f in columns] for r in rows),
            filters=query_filters(request),
            detail=f"导出{describe(period)}{where}{title}{len(rows)}行",
            data={"indicator": indicator.code, "table": name},
            filename=f"{title}{period:%Y-%m}.xlsx",
        )


ENTERPRISES_PER_PAGE = 50


def _pager(page, base: str) -> dict | None:
    """The enterprise table's page links (None when it fits on one page), keeping the
    filters and the sort."""
    if not page.has_other_pages():
        return None
    link = lambda n: "?" + "&".join(filter(None, [base, f"page={n}"])) + "#indicator-enterprises"  # noqa: E731
    return {
        "number": page.number,
        "pages": page.paginator.num_pages,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def sort_column(query, key, header, current) -> dict:
    href, arrow = sort_link(query, key, current)
    return {"key": key, "header": header, "href": href, "arrow": arrow, "numeric": key not in TEXT_COLUMNS}


def sort_link(query, key, current) -> tuple[str, str]:
    """(href, arrow) of a sortable header: the first click sorts descending (largest first;
    for 拉动 and 增减 the biggest gains), a second click reverses."""
    params = query.copy()
    if current == f"-{key}":
        params["sort"], arrow = key, "▼"
    elif current == key:
        params["sort"], arrow = f"-{key}", "▲"
    else:
        params["sort"], arrow = f"-{key}", ""
    if key in TEXT_COLUMNS and current not in (key, f"-{key}"):
        params["sort"] = key  # names read A→Z first
    return "?" + params.urlencode() + "#indicator-enterprises", arrow


# --- zone figures ---------------------------------------------------------------------------

FIGURES = ZoneMonthlyFigure.objects.select_related("zone", "indicator", "reported_by")


class ZoneMonthlyFigureListView(generic.ObjectListView):
    queryset = FIGURES
    filterset = ZoneMonthlyFigureFilterSet
    table = ZoneMonthlyFigureTable


class ZoneMonthlyFigureView(generic.ObjectView):
    """A zone figure with every version of the same zone, indicator and month."""

    queryset = FIGURES
    template_name = "economy/zonemonthlyfigure.html"

    def extra_context(self, obj):
        versions = restrict(
            FIGURES.filter(zone=obj.zone, indicator=obj.indicator, period=obj.period),
            self.request.user,
            "view",
        ).order_by("-version")
        # A correction is a new version (from the add form), never an edit of this one.
        return {
            "can_change": False,
            "can_delete": False,
            "versions": versions,
            "growth_pct": percent(obj.published_growth),
        }


class ZoneMonthlyFigureEditView(generic.ObjectEditView):
    """Only adds: a figure for a month that has one already becomes its next version."""

    queryset = ZoneMonthlyFigure.objects.all()
    form = ZoneMonthlyFigureForm

    def initial(self, obj):
        return {
            key: self.request.GET[key] for key in ("zone", "indicator", "period") if self.request.GET.get(key)
        }


class ZoneMonthlyFigureImportView(BulkImportView):
    importer = ZoneFigureImporter
    upload_form = MonthlyUploadForm


class ZoneMonthlyFigureImportTemplateView(ImportTemplateView):
    importer = ZoneFigureImporter


# --- month locks ----------------------------------------------------------------------------

LOCK_MONTHS = 24


class PeriodLockListView(View):
    """The last months with their lock state; locking adds a PeriodLock, unlocking deletes it
    (both change-logged), for users with the ``add`` / ``delete`` grant on month locks."""

    template_name = "economy/periodlock_list.html"

    def allows(self, **kwargs):
        """The page's own check, asked by the links to it too (``utilities/links.py``)."""
        return has_perm(self.request.user, PeriodLock, "view")

    def get(self, request, form=None):
        user = request.user
        if not self.allows():
            raise PermissionDenied("没有查看权限")
        locks = {lock.period: lock for lock in restrict(PeriodLock.objects.all(), user, "view")}
        latest = max([latest_period(), *locks])
        months = sorted(set(series_periods(latest, LOCK_MONTHS)) | set(locks), reverse=True)
        counts = dict(
            EnterpriseMonthlyValue.objects.filter(is_current=True, period__in=months)
            .values_list("period")
            .annotate(n=Count("pk"))
        )
        can_unlock = has_perm(user, PeriodLock, "delete")
        rows = [
            {"period": m, "label": describe(m), "lock": locks.get(m), "values": counts.get(m, 0)}
            for m in months
        ]
        context = {
            "rows": rows,
            "can_lock": has_perm(user, PeriodLock, "add"),
            "can_unlock": can_unlock,
            "form": form or PeriodLockForm(),
        }
        return render(request, self.template_name, context, status=400 if form is not None else 200)

    def post(self, request):
        if not has_perm(request.user, PeriodLock, "add"):
            raise PermissionDenied("没有锁定月份的权限")
        form = PeriodLockForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        period = form.cleaned_data["period"]
        if PeriodLock.objects.filter(period=period).exists():
            form.add_error("period", f"{describe(period)}已经锁定")
            return self.get(request, form=form)
        PeriodLock.objects.create(period=period, comments=form.cleaned_data["comments"])
        messages.success(request, f"已锁定{describe(period)}：该月数据不能再新增或更正。")
        return redirect("economy:periodlock_list")


class PeriodUnlockView(View):
    def post(self, request, pk):
        lock = get_for_action(PeriodLock, pk, request.user, "delete", message="没有解除锁定的权限")
        label = describe(lock.period)
        lock.delete()
        messages.success(request, f"已解除{label}的锁定。")
        return redirect("economy:periodlock_list")
