from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views import View

from yuanqu.users.models import Zone
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from .filtersets import EnterpriseMonthlyValueFilterSet, IndicatorFilterSet
from .forms import EnterpriseMonthlyValueForm, IndicatorForm, MonthlyImportUploadForm
from .importers import MonthlyImporter
from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .services import add_months, gap_text, indicator_summary, parse_period
from .tables import EnterpriseMonthlyValueTable, IndicatorTable

VALUES = EnterpriseMonthlyValue.objects.select_related(
    "enterprise", "enterprise__zone", "indicator", "reported_by"
)


class IndicatorListView(generic.ObjectListView):
    queryset = Indicator.objects.all()
    filterset = IndicatorFilterSet
    table = IndicatorTable


class IndicatorView(generic.ObjectView):
    queryset = Indicator.objects.all()


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
    upload_form = MonthlyImportUploadForm


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


def percent(fraction) -> str:
    """0.0769 → “7.7%”; rates are shown with one decimal (REFERENCE §4.8)."""
    return "—" if fraction is None else f"{fraction * 100:.1f}%"


def _latest_period():
    period = (
        EnterpriseMonthlyValue.objects.filter(is_current=True)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if period is None:
        from django.utils import timezone

        today = timezone.localdate()
        period = add_months(today.replace(day=1), -1)
    return period


class IndicatorSummaryView(View):
    """Every indicator for a month: the same figures as ``yuanqu indicators``, over the
    records the user may see."""

    template_name = "economy/summary.html"

    def get(self, request):
        user = request.user
        if not has_perm(user, EnterpriseMonthlyValue, "view") and not has_perm(
            user, ZoneMonthlyFigure, "view"
        ):
            raise PermissionDenied("没有查看权限")
        error = ""
        try:
            period = parse_period(request.GET["period"]) if request.GET.get("period") else _latest_period()
        except ValidationError as exc:
            error, period = exc.messages[0], _latest_period()
        zone = None
        zone_id = request.GET.get("zone") or ""
        if zone_id.isdigit():
            zone = Zone.objects.filter(pk=zone_id).first()
        rows = indicator_summary(
            period,
            zone,
            values=restrict(EnterpriseMonthlyValue.objects.all(), user, "view"),
            figures=restrict(ZoneMonthlyFigure.objects.all(), user, "view"),
        )
        for row in rows:
            row["gap_text"] = gap_text(row["gap_pp"])
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
