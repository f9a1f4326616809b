from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from yuanqu.projects.models import KeyProject
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.grants import get_for_action

from . import services
from .choices import PIPELINE, Stage
from .filtersets import LeadFilterSet
from .forms import (
    FundsForm,
    LeadForm,
    LinkProjectForm,
    MoveStageForm,
    ProjectFromLeadForm,
    StatisticsForm,
    project_initial,
)
from .models import FundsInPlace, Lead
from .tables import LeadTable

LEADS = Lead.objects.select_related("industry_chain", "leader", "department", "enterprise", "key_project")
# From 开工 on, a lead belongs in the key-project book.
PROJECT_STAGES = (Stage.STARTED, Stage.PRODUCING)


class LeadListView(generic.ObjectListView):
    queryset = LEADS
    filterset = LeadFilterSet
    table = LeadTable
    template_name = "investment/lead_list.html"


class LeadView(generic.ObjectView):
    queryset = LEADS
    template_name = "investment/lead.html"

    def extra_context(self, obj):
        next_stage = services.next_stage(obj.stage)
        return {
            "events": obj.events.select_related("actor"),
            "funds": obj.funds.all(),
            "talents": obj.talents.all(),
            "team": obj.team.all(),
            "next_stage": Stage(next_stage).label if next_stage else None,
            "move_form": MoveStageForm(lead=obj, initial={"to": next_stage}),
            "funds_form": FundsForm(initial={"date": timezone.localdate()}),
            "can_add_funds": can_add_child(self.request.user, FundsInPlace, "lead", obj),
            "key_project_visible": obj.key_project_id
            and restrict(
                KeyProject.objects.filter(pk=obj.key_project_id), self.request.user, "view"
            ).exists(),
            "link_form": LinkProjectForm(user=self.request.user, initial={"key_project": obj.key_project_id}),
            "can_add_project": has_perm(self.request.user, KeyProject, "add"),
            "needs_project": obj.stage in PROJECT_STAGES and not obj.key_project_id,
        }


class LeadEditView(generic.ObjectEditView):
    queryset = LEADS
    form = LeadForm


class LeadDeleteView(generic.ObjectDeleteView):
    queryset = LEADS


def _lead_for_change(request, pk, what="变更阶段"):
    """The lead if the user sees it (404 otherwise) and may change it (403 otherwise)."""
    lead = get_for_action(
        LEADS, pk, request.user, "change", message=lambda lead: f"您不能对招商项目“{lead}”{what}"
    )
    return lead


def move_stage(request, pk):
    """POST: move the lead to another stage, from its page or (HTMX) from the board."""
    if request.method != "POST":
        return redirect("investment:lead", pk=pk)
    lead = _lead_for_change(request, pk)
    form = MoveStageForm(request.POST, lead=lead)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_stage(lead, data["to"], request.user, data["date"], data["reason"])
        except services.StageError as exc:
            error = str(exc)
    else:
        error = "；".join(
            f"{form.fields[name].label}：{'、'.join(errs)}" for name, errs in form.errors.items()
        )
    if request.htmx:
        return render(request, "investment/board_content.html", _board_context(request, error=error))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"招商项目“{lead}”已移至“{lead.get_stage_display()}”。")
        if lead.stage in PROJECT_STAGES and not lead.key_project_id:
            messages.info(request, "项目已开工，请在“重点项目”栏关联或创建重点项目。")
    return redirect(lead.get_absolute_url())


def link_project(request, pk):
    """POST: link the lead to a key project the user may see (an empty choice unlinks it)."""
    if request.method != "POST":
        return redirect("investment:lead", pk=pk)
    lead = _lead_for_change(request, pk, "关联重点项目")
    form = LinkProjectForm(request.POST, user=request.user)
    if form.is_valid():
        lead.key_project = form.cleaned_data["key_project"]
        lead.save()
        if lead.key_project:
            messages.success(request, f"招商项目“{lead}”已关联重点项目“{lead.key_project}”。")
        else:
            messages.success(request, f"招商项目“{lead}”已取消关联重点项目。")
    else:
        messages.error(request, f"未关联：{'、'.join(form.errors['key_project'])}")
    return redirect(lead.get_absolute_url())


class ProjectFromLeadView(generic.ObjectEditView):
    """创建重点项目: the project form pre-filled from the lead; the lead links to the new project."""

    queryset = KeyProject.objects.all()
    form = ProjectFromLeadForm

    def get_object(self, pk):
        self.lead = _lead_for_change(self.request, pk, "创建重点项目")
        return super().get_object(None)  # 403 without the grant to add key projects

    def get_form_kwargs(self, obj):
        return {**super().get_form_kwargs(obj), "lead": self.lead}

    def initial(self, obj):
        return project_initial(self.lead)


def add_funds(request, pk):
    """POST: record funds in place for the lead (404 unseen, 403 without the grant)."""
    if request.method != "POST":
        return redirect("investment:lead", pk=pk)
    lead = get_for_action(
        LEADS,
        pk,
        request.user,
        add_child=(FundsInPlace, "lead"),
        message=lambda lead: f"您不能为招商项目“{lead}”登记到位资金",
    )
    form = FundsForm(request.POST, instance=FundsInPlace(lead=lead))
    if form.is_valid():
        funds = form.save()
        messages.success(request, f"已登记到位资金{funds.amount_wan}万元。")
    else:
        errors = "；".join(
            f"{form.fields[name].label}：{'、'.join(errs)}" for name, errs in form.errors.items()
        )
        messages.error(request, f"到位资金未登记：{errors}")
    return redirect(lead.get_absolute_url())


def _board_context(request, error=None):
    user = request.user
    leads = list(
        restrict(LEADS, user, "view").exclude(stage=Stage.TERMINATED).order_by("-stage_changed_on", "pk")
    )
    changeable = set(
        restrict(Lead.objects.filter(pk__in=[lead.pk for lead in leads]), user, "change").values_list(
            "pk", flat=True
        )
    )
    columns = []
    for stage in PIPELINE:
        cards = [(lead, lead.pk in changeable) for lead in leads if lead.stage == stage]
        total = sum(lead.contracted_investment_wan for lead, _ in cards)
        columns.append(
            {"value": stage, "stage": Stage(stage).label, "cards": cards, "total_yi": services.to_yi(total)}
        )
    return {"columns": columns, "error": error}


def board(request):
    """The pipeline as a kanban board, one column per stage."""
    if not has_perm(request.user, Lead, "view"):
        raise PermissionDenied("没有查看权限")
    return render(request, "investment/board.html", _board_context(request))


def statistics(request):
    """The figures the reports quote, for a chosen year against the year before."""
    user = request.user
    if not has_perm(user, Lead, "view"):
        raise PermissionDenied("没有查看权限")
    today = timezone.localdate()
    form = StatisticsForm(
        request.GET or None, initial={"year": today.year, "stalled_days": services.STALLED_DAYS}
    )
    context = {"form": form}
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        year = data.get("year") or today.year
        days = data.get("stalled_days") or services.STALLED_DAYS
        leads = restrict(Lead.objects.all(), user, "view")
        context.update(
            year=year,
            stalled_days=days,
            figures=services.year_statistics(year, leads, until=today if year == today.year else None),
            conversions=services.conversion(leads),
            stalled=services.stalled(leads.select_related("department", "leader"), days, today)[:100],
        )
    return render(request, "investment/statistics.html", context)
