"""The light rules (亮灯规则): the rule sets with their coverage check, edited a kind at a
time, with their Excel export."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views import View

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.bands import BandSetEditView, band_sets
from yuanqu.utilities.excel import export_xlsx

from ..choices import RuleKind
from ..models import LightRule


class LightRuleListView(View):
    """The rule sets, one per kind, with the coverage check of each."""

    def get(self, request):
        user = request.user
        if not has_perm(user, LightRule, "view"):
            raise PermissionDenied("没有查看权限")
        rules = restrict(LightRule.objects.all(), user, "view")
        if request.GET.get("export") == "xlsx":
            return self.export(request, rules)
        sets = band_sets(LightRule, list(rules), RuleKind)
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


class LightRuleSetEditView(BandSetEditView):
    model = LightRule
    kinds = RuleKind
    title = "修改亮灯规则"
    list_url = "projects:lightrule_list"
