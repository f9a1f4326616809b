from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View

from yuanqu.economy.models import EnterpriseMonthlyValue
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.grants import get_for_action

from . import services
from .choices import AppealStatus, IndicatorCode
from .filtersets import (
    AppealFilterSet,
    EvaluationInputFilterSet,
    EvaluationResultFilterSet,
    EvaluationSchemeFilterSet,
)
from .forms import AppealForm, EvaluationInputForm, IndicatorFormSet, ResolveForm, SchemeForm, check_scheme
from .models import Appeal, EvaluationInput, EvaluationResult, EvaluationScheme
from .tables import AppealTable, EvaluationInputTable, EvaluationResultTable, EvaluationSchemeTable

SCHEMES = EvaluationScheme.objects.select_related("department")
RESULTS = EvaluationResult.objects.select_related("scheme", "enterprise__zone", "enterprise__industry_chain")
APPEALS = Appeal.objects.select_related("result__enterprise", "result__scheme", "submitted_by", "resolver")


def first_error(error: ValidationError) -> str:
    return "；".join(error.messages)


def monthly_values(user):
    return restrict(EnterpriseMonthlyValue.objects.all(), user, "view")


# --- results -----------------------------------------------------------------------------


class ResultListView(generic.ObjectListView):
    """The results table with the class distribution of the filtered rows."""

    queryset = RESULTS
    filterset = EvaluationResultFilterSet
    table = EvaluationResultTable
    template_name = "evaluation/result_list.html"
    table_template_name = "evaluation/result_table.html"

    def extra_context(self, queryset):
        return {
            "distribution": services.distribution(queryset.values_list("grade", flat=True)),
            "can_view_schemes": has_perm(self.request.user, EvaluationScheme, "view"),
            "can_view_appeals": has_perm(self.request.user, Appeal, "view"),
        }


class ResultView(generic.ObjectView):
    queryset = RESULTS
    template_name = "evaluation/result.html"

    def extra_context(self, obj):
        user = self.request.user
        inputs = [
            {"label": services.INPUTS[key][0], "unit": services.INPUTS[key][1], **value}
            for key, value in obj.inputs.items()
            if key in services.INPUTS
        ]
        indicators = [
            {
                "label": IndicatorCode(code).label,
                "unit": services.FORMULAS[code][2],
                "rule": rule,
                **obj.values.get(code, {}),
            }
            for code, rule in ((r.code, r) for r in obj.scheme.indicators.all())
        ]
        return {
            "inputs": inputs,
            "indicators": indicators,
            "appeals": restrict(obj.appeals.select_related("submitted_by", "resolver"), user, "view"),
            "can_appeal": can_add_child(user, Appeal, "result", obj),
            "appeal_form": AppealForm(user=user),
        }


class AppealAddView(View):
    """File an appeal against a result: the enterprise itself, or staff on its behalf."""

    def post(self, request, pk):
        result = get_for_action(
            RESULTS,
            pk,
            request.user,
            add_child=(Appeal, "result"),
            message="没有提交申诉的权限",
        )
        form = AppealForm(data=request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "申诉未提交：请填写申诉理由。")
            return redirect(result.get_absolute_url())
        appeal = form.save(commit=False)
        appeal.result = result
        appeal.submitted_by = request.user
        appeal.save()
        messages.success(request, "申诉已提交，处理结果将在本页显示。")
        return redirect(appeal.get_absolute_url())


# --- schemes -----------------------------------------------------------------------------


class SchemeListView(generic.ObjectListView):
    queryset = SCHEMES
    filterset = EvaluationSchemeFilterSet
    table = EvaluationSchemeTable


class SchemeView(generic.ObjectView):
    queryset = SCHEMES
    template_name = "evaluation/scheme.html"

    def extra_context(self, obj):
        results = restrict(obj.results.all(), self.request.user, "view")
        return {
            "indicators": obj.indicators.all(),
            "distribution": services.distribution(results.values_list("grade", flat=True)),
            "can_evaluate": restrict(SCHEMES.filter(pk=obj.pk), self.request.user, "evaluate").exists(),
        }


class SchemeEditView(generic.ObjectEditView):
    """A scheme with its indicators; weights must sum to 100 and the cut-offs may not overlap."""

    queryset = SCHEMES
    form = SchemeForm
    template_name = "evaluation/scheme_edit.html"

    def initial(self, obj):
        latest = EvaluationScheme.objects.order_by("-year").first()
        return {"year": latest.year + 1 if latest else None}

    outside_grant_message = "保存后的方案超出了您的权限范围（例如责任部门不是本部门），未保存。"

    def get_formset(self, obj, data=None):
        if data is None and obj.pk is None:  # a new scheme starts from the reference's rules
            rules = services.default_rules()
            formset = IndicatorFormSet(
                instance=obj,
                prefix="indicators",
                initial=[
                    {
                        "code": r.code,
                        "weight": r.weight,
                        "benchmark": r.benchmark,
                        "when_missing": r.when_missing,
                    }
                    for r in rules
                ],
            )
            formset.extra = len(rules)
            return formset
        return IndicatorFormSet(data=data, instance=obj, prefix="indicators")

    def check_together(self, form, formset):
        return check_scheme(form, formset)

    def saved_message(self, scheme, is_new):
        return f"已{'新建' if is_new else '保存'}“{scheme}”。"


class SchemeDeleteView(generic.ObjectDeleteView):
    queryset = SCHEMES


class EvaluateView(View):
    """运行评价: score the scheme's year again (one transaction; changed results are logged)."""

    def post(self, request, pk):
        scheme = get_for_action(SCHEMES, pk, request.user, "evaluate", message="没有运行评价的权限")
        try:
            counts = services.evaluate(scheme, monthly_values(request.user))
        except ValidationError as error:
            messages.error(request, f"评价未运行：{first_error(error)}")
        else:
            messages.success(
                request,
                f"{scheme}已完成：计分{counts['evaluated']}家，未计分{counts['not_evaluated']}家，"
                f"结果有变化{counts['saved']}家，移出参评范围{counts['removed']}家。",
            )
        return redirect(scheme.get_absolute_url())


# --- evaluation data ---------------------------------------------------------------------


class InputListView(generic.ObjectListView):
    queryset = EvaluationInput.objects.select_related("enterprise")
    filterset = EvaluationInputFilterSet
    table = EvaluationInputTable


class InputEditView(generic.ObjectEditView):
    queryset = EvaluationInput.objects.select_related("enterprise")
    form = EvaluationInputForm


# --- appeals -----------------------------------------------------------------------------


class AppealListView(generic.ObjectListView):
    queryset = APPEALS
    filterset = AppealFilterSet
    table = AppealTable
    template_name = "evaluation/appeal_list.html"


class AppealView(generic.ObjectView):
    queryset = APPEALS
    template_name = "evaluation/appeal.html"

    def extra_context(self, obj):
        can_resolve = restrict(APPEALS.filter(pk=obj.pk), self.request.user, "change").exists()
        return {
            "can_resolve": can_resolve and obj.status == AppealStatus.PENDING,
            "resolve_form": ResolveForm(),
            "corrections": [
                (services.INPUTS[k][0], services.INPUTS[k][1], v) for k, v in obj.corrections.items()
            ],
        }


class AppealResolveView(View):
    """处理申诉: accept (optionally correcting data or the class, then re-scoring) or reject."""

    def post(self, request, pk):
        appeal = get_for_action(APPEALS, pk, request.user, "change", message="没有处理申诉的权限")
        form = ResolveForm(data=request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                messages.error(request, f"申诉未处理：{label}{'；'.join(errors)}")
            return redirect(appeal.get_absolute_url())
        data = form.cleaned_data
        try:
            services.resolve_appeal(
                appeal,
                request.user,
                data["status"],
                data["resolution"],
                corrections=form.corrections(),
                adjusted_class=data["adjusted_class"],
                adjust_reason=data["adjust_reason"],
                values=monthly_values(request.user),
            )
        except ValidationError as error:
            messages.error(request, f"申诉未处理：{first_error(error)}")
        else:
            messages.success(request, f"申诉已处理：{appeal.get_status_display()}。")
        return redirect(appeal.get_absolute_url())
