"""数据目录: every figure of the catalogue with its value for a month and a scope, over the
records the user may view, each linked to the records behind it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views import View

from yuanqu.users.choices import Role
from yuanqu.utilities.links import can_open
from yuanqu.utilities.periods import id_param, last_complete_month, period_param
from yuanqu.utilities.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from .catalogue import KINDS, SCOPES, Query, evaluate, figures, may_view_any, visible
from .filtersets import ExchangeRateFilterSet, PeerValueFilterSet, UnitFilterSet
from .forms import ExchangeRateForm, PeerValueForm, UnitForm
from .models import ExchangeRate, PeerValue, Unit
from .tables import ExchangeRateTable, PeerValueTable, UnitTable


def _scope_choices():
    from django.apps import apps

    Zone = apps.get_model("users", "Zone")
    Department = apps.get_model("users", "Department")
    IndustryChain = apps.get_model("enterprises", "IndustryChain")
    return {
        "zone": [z for z in Zone.objects.all() if z.parent_id is not None],
        "department": list(Department.objects.all()),
        "chain": list(IndustryChain.objects.filter(active=True)),
    }


class CatalogueView(View):
    template_name = "figures/catalogue.html"

    def allows(self, **kwargs):
        """The page's own check, asked by the links to it too: staff-side users who may view
        the records of at least one figure (an enterprise user has its own portal)."""
        user = self.request.user
        return user.is_authenticated and user.role != Role.ENTERPRISE and may_view_any(user)

    def get(self, request):
        if not self.allows():
            raise PermissionDenied("没有查看数据目录的权限")
        user = request.user
        period, error = period_param(request, last_complete_month())
        choices = _scope_choices()
        scope, target = request.GET.get("scope", "park"), None
        if scope in choices:
            pk = id_param(request, "id")
            target = next((t for t in choices[scope] if t.pk == pk), None)
        if target is None:
            scope = "park"
        query = Query(period, scope, target, user=user)
        groups, current = [], None
        for figure in visible(user, figures().values()):
            app = figure.key.split(".")[0]
            if app != current:
                groups.append({"app": app, "label": _app_label(app), "rows": []})
                current = app
            result = evaluate(figure, query)
            link = result.link if result.link and can_open(user, result.link.split("?")[0]) else ""
            groups[-1]["rows"].append({"figure": figure, "result": result, "link": link})
        context = {
            "groups": groups,
            "has_peers": any(row["result"].standing for group in groups for row in group["rows"]),
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "error": error,
            "query": query,
            "scope": scope,
            "target": target,
            "choices": choices,
            "scope_names": SCOPES,
            "kinds": KINDS,
        }
        return render(request, self.template_name, context)


def _app_label(app):
    from django.apps import apps

    return apps.get_app_config(app).verbose_name


# --- peers' values (同级园区数据) ---------------------------------------------------------------


class PeerValueListView(ObjectListView):
    queryset = PeerValue.objects.all()
    filterset = PeerValueFilterSet
    table = PeerValueTable


class PeerValueView(ObjectView):
    queryset = PeerValue.objects.all()


class PeerValueEditView(ObjectEditView):
    queryset = PeerValue.objects.all()
    form = PeerValueForm


class PeerValueDeleteView(ObjectDeleteView):
    queryset = PeerValue.objects.all()


# --- units of measure (计量单位) and exchange rates (汇率) ---------------------------------------


class UnitListView(ObjectListView):
    queryset = Unit.objects.all()
    filterset = UnitFilterSet
    table = UnitTable


class UnitView(ObjectView):
    queryset = Unit.objects.all()


class UnitEditView(ObjectEditView):
    queryset = Unit.objects.all()
    form = UnitForm


class UnitDeleteView(ObjectDeleteView):
    queryset = Unit.objects.all()


class ExchangeRateListView(ObjectListView):
    queryset = ExchangeRate.objects.all()
    filterset = ExchangeRateFilterSet
    table = ExchangeRateTable


class ExchangeRateView(ObjectView):
    queryset = ExchangeRate.objects.all()


class ExchangeRateEditView(ObjectEditView):
    queryset = ExchangeRate.objects.all()
    form = ExchangeRateForm


class ExchangeRateDeleteView(ObjectDeleteView):
    queryset = ExchangeRate.objects.all()
