"""The light rules (亮灯规则): the rule sets with their coverage check, edited a kind at a
time, with their Excel export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import export_xlsx

from ..choices import RuleKind
from ..forms import LightRuleFormSet
from ..models import LightRule
from ..services.lights import check_rules


class LightRuleListView(View):
    """The rule sets, one per kind, with the coverage check of each."""

    def get(self, request):
        user = request.user
        if not has_perm(user, LightRule, "view"):
            raise PermissionDenied("没有查看权限")
        rules = restrict(LightRule.objects.all(), user, "view")
        if request.GET.get("export") == "xlsx":
            return self.export(request, rules)
        sets = []
        for kind in RuleKind:
            bands = [r for r in rules if r.kind == kind]
            try:
                check_rules(bands, f"“{kind.label}”亮灯规则")
                problem = ""
            except ValidationError as exc:
                problem = exc.messages[0]
            sets.append({"kind": kind, "bands": bands, "error": problem})
        return render(
            request,
            "projects/lightrule_list.html",
            {
                "sets": sets,
                "can_change": has_perm(user, LightRule, "change"),
                "can_export": has_perm(user, LightRule, "export"),
            },
        )

    def export(self, request, rules):
        if not has_perm(request.user, LightRule, "export"):
            raise PermissionDenied("没有导出权限")
        rules = restrict(LightRule.objects.all(), request.user, "export")
        rows = [(r.get_kind_display(), r.lower, r.upper, r.get_light_display()) for r in rules]
        header = ["规则类别", "下限（含）", "上限（不含）", "亮灯"]
        return export_xlsx(
            request, title="亮灯规则", model=LightRule, header=header, rows=rows, filename="亮灯规则.xlsx"
        )


class LightRuleSetEditView(View):
    """All bands of one kind edited together (add, change, delete), saved only when they
    cover the whole line exactly once; otherwise the gap or overlap is the form's error."""

    template_name = "projects/lightrule_edit.html"

    def dispatch(self, request, kind):
        if kind not in RuleKind.values:
            raise Http404("没有该类亮灯规则")
        if not has_perm(request.user, LightRule, "change"):
            raise PermissionDenied("没有修改亮灯规则的权限")
        self.kind = RuleKind(kind)
        self.rules = restrict(LightRule.objects.filter(kind=kind), request.user, "change")
        return super().dispatch(request, kind)

    def render_page(self, request, formset):
        return render(request, self.template_name, {"kind": self.kind, "formset": formset})

    def get(self, request, kind):
        return self.render_page(request, LightRuleFormSet(queryset=self.rules, kind=kind))

    def post(self, request, kind):
        formset = LightRuleFormSet(request.POST, queryset=self.rules, kind=kind)
        if not formset.is_valid():
            return self.render_page(request, formset)
        adding = any(f.instance.pk is None and f.has_changed() for f in formset.forms) and not all(
            formset._should_delete_form(f) for f in formset.forms if f.instance.pk is None and f.has_changed()
        )
        if adding and not has_perm(request.user, LightRule, "add"):
            raise PermissionDenied("没有新增亮灯规则的权限")
        if formset.deleted_forms and not has_perm(request.user, LightRule, "delete"):
            raise PermissionDenied("没有删除亮灯规则的权限")
        with transaction.atomic():
            for rule in formset.save(commit=False):
                rule.kind = kind
                rule.save()
            for rule in formset.deleted_objects:
                rule.delete()
        messages.success(request, f"已保存“{self.kind.label}”亮灯规则。")
        return redirect("projects:lightrule_list")
