"""The enterprise portal (企业填报): an enterprise fills a month's report on one form, imports
its own Excel file and sees which months are still due.

Which indicators an enterprise reports: the active enterprise-level indicators of the
population 全部, those of each statistical population (规上工业, 限上批零住餐 …) its 规上记录
put it in that year (the year before's while the year's records are not entered yet), and any
it has already reported for the month. The 当月值 is typed; 1–N月累计 is this year's earlier
当月值 plus it. 从业人员 and the other stock indicators (a level at month end, averaged rather
than summed over months) are one figure with no 1–N月累计.

The deadline: the project has none, so a month's report is due by the 10th of the next month
(``REPORT_DUE_DAY``). A month is due once it has ended, from January of its year when the
enterprise reported the year before, otherwise from its first report of the year (a new
enterprise is asked for the last month only), until it has reported any of its indicators
for it; a locked month is no longer asked for.

Every page takes the enterprise through ``reportable_enterprise``: one the user may see and
add reports for, otherwise 404, so another enterprise's data is neither shown nor written.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.enterprises.models import Enterprise, ScaleRecord
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities.grants import get_for_action
from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView, MonthlyUploadForm

from .choices import IndicatorKind, IndicatorLevel, Population
from .forms import PortalMonthForm
from .importers import MonthlyImporter, for_enterprise
from .models import EnterpriseMonthlyValue, Indicator, PeriodLock
from .services import add_months, describe, last_year, parse_period

REPORT_DUE_DAY = 10  # a month's report is due by this day of the next month


def reportable_enterprise(user, pk):
    """The enterprise ``pk`` when the user may see it (404 otherwise) and report for it (403
    otherwise)."""
    return get_for_action(
        Enterprise,
        pk,
        user,
        add_child=(EnterpriseMonthlyValue, "enterprise"),
        message="没有为该企业填报月报数据的权限",
    )


def own_enterprise(user):
    """The enterprise of an enterprise user who may report for it, else None."""
    if not getattr(user, "enterprise_id", None):
        return None
    enterprise = restrict(Enterprise.objects.all(), user, "view").filter(pk=user.enterprise_id).first()
    if enterprise is None or not can_add_child(user, EnterpriseMonthlyValue, "enterprise", enterprise):
        return None
    return enterprise


def due_date(period: datetime.date) -> datetime.date:
    following = add_months(period, 1)
    return following.replace(day=REPORT_DUE_DAY)


def last_due_period(today: datetime.date) -> datetime.date:
    """The latest month that has ended (and may be reported)."""
    return add_months(today.replace(day=1), -1)


# --- what an enterprise reports --------------------------------------------------------------


def indicators_for(enterprise, period):
    """The indicators the enterprise reports for ``period`` (see the module docstring)."""
    records = set(
        ScaleRecord.objects.filter(
            enterprise=enterprise, year__in=[period.year, period.year - 1]
        ).values_list("year", "kind")
    )
    populations = {kind for year, kind in records if year == period.year} or {kind for _, kind in records}
    reported = EnterpriseMonthlyValue.objects.filter(enterprise=enterprise, period=period).values(
        "indicator_id"
    )
    return Indicator.objects.filter(active=True, level=IndicatorLevel.ENTERPRISE).filter(
        Q(population__in=[Population.ALL, *populations]) | Q(pk__in=reported)
    )


@dataclass
class Line:
    """One indicator on the month's form, with what the page shows beside the input."""

    indicator: Indicator
    current: tuple | None = None  # (当月, 累计) of the current version for the month
    last_year: tuple | None = None  # the same month a year earlier
    earlier: dict = field(default_factory=dict)  # this year's earlier months: {month: 当月值}
    previous_ytd: Decimal | None = None  # last month's 1–N月累计

    @property
    def code(self):
        return self.indicator.code

    @property
    def stock(self):
        return self.indicator.kind == IndicatorKind.STOCK

    @property
    def month_field(self):
        return f"m_{self.code}"

    @property
    def ytd_field(self):
        return f"y_{self.code}"

    def missing_months(self, month):
        return [m for m in range(1, month) if self.earlier.get(m) is None]

    def earlier_sum(self, month):
        """This year's 当月值 before ``month`` added up; None when a month is missing."""
        if self.missing_months(month):
            return None
        return sum((self.earlier[m] for m in range(1, month)), Decimal(0))

    def needs_ytd(self, month):
        """A flow whose 1–N月累计 cannot be derived: an earlier month is missing, so it is typed."""
        return not self.stock and bool(self.missing_months(month))


def month_lines(enterprise, period) -> list[Line]:
    """The form's lines for the enterprise and month, in the catalogue's order (two queries
    for the indicators, one for the values)."""
    indicators = list(indicators_for(enterprise, period).order_by("order", "code"))
    lines = {i.pk: Line(i) for i in indicators}
    before = last_year(period)
    rows = EnterpriseMonthlyValue.objects.filter(
        Q(period__year=period.year, period__lte=period) | Q(period=before),
        enterprise=enterprise,
        indicator__in=indicators,
        is_current=True,
    ).order_by()
    previous = add_months(period, -1)
    for indicator_id, when, month_value, ytd_value in rows.values_list(
        "indicator_id", "period", "month_value", "ytd_value"
    ):
        line = lines[indicator_id]
        if when == period:
            line.current = (month_value, ytd_value)
        elif when == before:
            line.last_year = (month_value, ytd_value)
        else:
            line.earlier[when.month] = month_value
            if when == previous:
                line.previous_ytd = ytd_value
    return list(lines.values())


# --- what is due -----------------------------------------------------------------------------


@dataclass
class Due:
    period: datetime.date
    deadline: datetime.date
    overdue: bool

    @property
    def label(self):
        return describe(self.period)


def due_months(enterprise, today=None) -> list[Due]:
    """The months the enterprise has not reported, oldest first (see the module docstring). A
    month with some of its indicators is reported: not every enterprise has every figure
    monthly (研发经费 …), and the month's form shows which are still empty."""
    today = today or timezone.localdate()
    last = last_due_period(today)
    expected = set(indicators_for(enterprise, last).values_list("pk", flat=True))
    if not expected:
        return []
    january = last.replace(month=1)
    values = EnterpriseMonthlyValue.objects.filter(enterprise=enterprise, is_current=True).order_by()
    reported = {}
    for when, indicator_id in values.filter(period__gte=january, period__lte=last).values_list(
        "period", "indicator_id"
    ):
        reported.setdefault(when, set()).add(indicator_id)
    if values.filter(period__year=last.year - 1).exists():
        start = january
    else:
        start = min(reported, default=last)
    locked = set(
        PeriodLock.objects.filter(period__gte=start, period__lte=last).values_list("period", flat=True)
    )
    due, period = [], start
    while period <= last:
        if not reported.get(period) and period not in locked:
            deadline = due_date(period)
            due.append(Due(period, deadline, today > deadline))
        period = add_months(period, 1)
    return due


def reminder_context(enterprise, today=None):
    """What the reminder (the portal's and the start page's) shows."""
    today = today or timezone.localdate()
    last = last_due_period(today)
    return {
        "enterprise": enterprise,
        "due": due_months(enterprise, today),
        "next_period": describe(today.replace(day=1)),
        "next_deadline": due_date(today.replace(day=1)),
        "due_day": REPORT_DUE_DAY,
        "last_period": describe(last),
        "portal_url": reverse("economy:portal_month", args=[enterprise.pk]),
    }


# --- pages -----------------------------------------------------------------------------------


def can_import_for(user, enterprise) -> bool:
    if not has_perm(user, EnterpriseMonthlyValue, "import"):
        return False
    allowed = MonthlyImporter(user=user).importable_enterprises()
    return allowed is None or enterprise.pk in allowed


class PortalMonthView(View):
    """One month's report of one enterprise on one form: GET shows it, POST saves it."""

    template_name = "economy/portal.html"

    def get_enterprise(self, request, pk):
        return reportable_enterprise(request.user, pk)

    def choose_period(self, text, enterprise, today):
        """(period, error): the month asked for, or the oldest month due (else the last ended)."""
        last = last_due_period(today)
        if text:
            try:
                period = parse_period(text)
            except ValidationError as exc:
                return last, exc.messages[0]
            if period > last:
                return last, f"{describe(period)}尚未结束，只能填报到{describe(last)}"
            return period, ""
        due = due_months(enterprise, today)
        return (due[0].period if due else last), ""

    def get(self, request, pk=None):
        enterprise = self.get_enterprise(request, pk)
        today = timezone.localdate()
        period, error = self.choose_period(request.GET.get("period", "").strip(), enterprise, today)
        lines = month_lines(enterprise, period)
        form = PortalMonthForm(enterprise=enterprise, period=period, lines=lines, user=request.user)
        return self.render_page(request, enterprise, period, form, error, today)

    def post(self, request, pk=None):
        enterprise = self.get_enterprise(request, pk)
        today = timezone.localdate()
        text = request.POST.get("period", "").strip()
        period, error = self.choose_period(text, enterprise, today) if text else (None, "请选择填报的月份")
        if error:
            messages.error(request, error)
            return redirect(request.path)
        lines = month_lines(enterprise, period)
        form = PortalMonthForm(
            data=request.POST, enterprise=enterprise, period=period, lines=lines, user=request.user
        )
        if form.is_valid():
            saved = form.save()
            if saved:
                names = "、".join(line.indicator.name for line, _ in saved)
                messages.success(request, f"已保存{describe(period)}数据：{names}。")
            else:
                messages.info(request, f"{describe(period)}数据没有改动，未写入。")
            return redirect(f"{request.path}?period={period:%Y-%m}")
        return self.render_page(request, enterprise, period, form, "", today)

    def render_page(self, request, enterprise, period, form, error, today):
        last = last_due_period(today)
        months = [add_months(last, -n) for n in range(0, 12 + last.month)]
        can_import = can_import_for(request.user, enterprise)
        context = {
            **reminder_context(enterprise, today),
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "period_error": error,
            "months": [(f"{m:%Y-%m}", describe(m)) for m in months],
            "form": form,
            "rows": form.rows(),
            "locked": PeriodLock.objects.filter(period=period).exists(),
            "can_import": can_import,
            "import_form": MonthlyUploadForm(initial={"period": period}) if can_import else None,
        }
        return render(request, self.template_name, context)


class PortalView(PortalMonthView):
    """``/portal/``: the enterprise user's own enterprise (the start of the portal)."""

    def get_enterprise(self, request, pk):
        enterprise = own_enterprise(request.user)
        if enterprise is None:
            raise PermissionDenied("企业填报仅供绑定了企业、且有月报填报权限的企业用户使用")
        return enterprise


class PortalImporterMixin:
    """The monthly importer limited to the portal's enterprise (a 404 for another's)."""

    def dispatch(self, request, pk):
        self.enterprise = reportable_enterprise(request.user, pk)
        self.importer = for_enterprise(self.enterprise)
        return super().dispatch(request)


class PortalImportView(PortalImporterMixin, BulkImportView):
    upload_form = MonthlyUploadForm

    def session_key(self):
        return f"yuanqu-portal-import-{self.enterprise.pk}"

    def base_context(self):
        return {
            **super().base_context(),
            "verbose_name_plural": f"{self.enterprise.name}月报数据",
            "list_url": reverse("economy:portal_month", args=[self.enterprise.pk]),
        }

    def template_url(self):
        return reverse("economy:portal_import_template", args=[self.enterprise.pk])

    def done_url(self, request):
        return reverse("economy:portal_month", args=[self.enterprise.pk])


class PortalImportTemplateView(PortalImporterMixin, ImportTemplateView):
    pass
