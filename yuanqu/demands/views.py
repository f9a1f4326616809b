from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from yuanqu.core.workdays import CalendarMissing, WorkCalendar
from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.grants import OutsideGrant, ensure_within_grant, get_for_action
from yuanqu.utilities.htmx import htmx_partial

from . import services
from .attachments import NotAllowed, add_attachments
from .choices import AWAITING_STATUSES, DemandAction, EscalationLevel
from .filtersets import DemandCategoryFilterSet, DemandFilterSet
from .forms import (
    AnswerForm,
    AssignForm,
    ConfirmForm,
    DemandCategoryForm,
    DemandForm,
    ExtensionForm,
    FollowUpForm,
    ForwardForm,
    PortalDemandForm,
    ReopenForm,
    ReturnForm,
    StatisticsForm,
    TextForm,
)
from .models import Demand, DemandAttachment, DemandCategory
from .tables import DemandCategoryTable, DemandTable, light_badge

DEMANDS = Demand.objects.select_related(
    "enterprise", "category", "department", "holder_user", "holder_department", "received_by", "assigned_by"
)
A = DemandAction


class DemandListView(generic.ObjectListView):
    queryset = DEMANDS
    filterset = DemandFilterSet
    table = DemandTable
    template_name = "demands/demand_list.html"

    def extra_context(self, queryset):
        """An enterprise user sees its answered demands waiting for its confirmation above the
        list, each with the three ratings and 重新办理."""
        user = self.request.user
        if user.role != Role.ENTERPRISE:
            return {}
        waiting = restrict(DEMANDS.filter(status__in=AWAITING_STATUSES), user, "view").order_by("answered_at")
        return {
            "awaiting_confirmation": [
                {
                    "demand": demand,
                    "confirm": reverse("demands:demand_confirm", args=[demand.pk]),
                    "reopen": services.can_act(user, demand, A.REOPEN),
                }
                for demand in waiting
                if services.can_act(user, demand, A.CONFIRM)
            ],
            "satisfaction_choices": ConfirmForm.base_fields["satisfaction"].choices,
        }


class DemandView(generic.ObjectView):
    """The demand's record with its workflow steps: a button for each step the user may take
    now, revealing its small form in place (``<details>``); HTMX posts it and swaps the record
    block, a plain POST redirects back here."""

    queryset = DEMANDS
    template_name = "demands/demand.html"
    bound = None  # (action, form with errors) when a plain POST failed

    def get(self, request, pk, bound=None):
        self.bound = bound
        return super().get(request, pk)

    def extra_context(self, obj):
        return record_context(self.request, obj, *(self.bound or (request_step(self.request), None)))


def request_step(request):
    """The step to show open: ``?step=`` (a step's URL opened without JavaScript lands here)."""
    return request.GET.get("step") or None


def step_form(action, user, demand, data=None, files=None):
    """A step's form; its ids name the step, since every step's form is on the same page."""
    return ACTION_VIEWS[action].form(
        data=data, files=files, user=user, demand=demand, auto_id=f"id_{action}_%s"
    )


def record_context(request, demand, open_step=None, bound_form=None, done=""):
    """What the record block (``demands/_record.html``) shows: the fields, the steps this user
    may take now (the same check as the service, within the grant each step fetches through),
    the handling record, the attachments, the escalations."""
    user = request.user
    steps = []
    for action in _permitted_actions(user, demand):
        is_open = action == open_step
        form = bound_form if is_open and bound_form is not None else step_form(action, user, demand)
        steps.append(
            {
                "action": action,
                "label": DemandAction(action).label,
                "url": reverse(f"demands:demand_{action}", args=[demand.pk]),
                "form": form,
                "open": is_open,
            }
        )
    return {
        "object": demand,
        "light": light_badge(services.light(demand, calendar=WorkCalendar())),
        "events": demand.events.select_related("actor"),
        "escalations": demand.events.filter(action__in=EscalationLevel.values),
        "attachments": restrict(demand.attachments.select_related("uploaded_by"), user, "view"),
        "supporting": demand.supporting_departments.all(),
        "steps": steps,
        "awaiting": demand.status in AWAITING_STATUSES,
        "has_account": demand.status in AWAITING_STATUSES and services.enterprise_has_account(demand),
        "done": done,
    }


def _granted(user, pks) -> dict[str, set[int]]:
    """For each grant an action view fetches through, which of these demands it reaches."""
    return {
        grant: set(restrict(Demand.objects.filter(pk__in=pks), user, grant).values_list("pk", flat=True))
        for grant in set(services.ACTION_GRANT.values())
    }


def _permitted_actions(user, demand, granted=None):
    """The steps the user may take, each also within the grant its view fetches through."""
    granted = granted if granted is not None else _granted(user, [demand.pk])
    return [
        action
        for action in services.available_actions(user, demand)
        if demand.pk in granted[services.ACTION_GRANT[action]]
    ]


def may_take_step(user, demand, action) -> bool:
    """The step is open to the user now and their grant for it covers the demand."""
    return action in _permitted_actions(user, demand)


class DemandCreateView(View):
    """受理: staff and grid workers for any enterprise they see, an enterprise user for its own."""

    template_name = "demands/demand_add.html"

    def get_form_class(self):
        return PortalDemandForm if self.request.user.role == Role.ENTERPRISE else DemandForm

    def check(self, request):
        if not has_perm(request.user, Demand, "add"):
            raise PermissionDenied("没有新建权限")

    def get(self, request):
        self.check(request)
        return render(request, self.template_name, {"form": self.get_form_class()(user=request.user)})

    def post(self, request):
        self.check(request)
        user = request.user
        form = self.get_form_class()(data=request.POST, files=request.FILES, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            files = data.pop("attachments", [])
            if user.role == Role.ENTERPRISE:
                data.update(enterprise=user.enterprise, channel="portal")
            try:
                with transaction.atomic():
                    demand = services.receive(user, **data)
                    ensure_within_grant(demand, user, "add")
                    add_attachments(demand, user, files, A.RECEIVE)
            except OutsideGrant:
                form.add_error(None, "该企业不在您的受理范围内，未保存。")
            except (services.DemandError, NotAllowed) as exc:
                form.add_error(None, str(exc))
            except CalendarMissing as exc:  # a deadline reaching a year the calendar lacks
                form.add_error(None, f"{exc}，无法计算办理期限，未保存。")
            else:
                messages.success(request, f"已受理诉求{demand.number}，办理期限{demand.due_on:%Y-%m-%d}。")
                return redirect(demand.get_absolute_url())
        return render(request, self.template_name, {"form": form})


class DemandActionView(View):
    """One workflow step: the demand is fetched through the step's grant (404 outside it),
    then the user must hold the step (403 otherwise). Posted from the record's inline form:
    an HTMX post gets the updated record block back (or the form with its errors in place),
    a plain post is redirected to the record (or to ``next``, e.g. the enterprise's list)."""

    action = None
    form = TextForm

    def get_demand(self, request, pk):
        label = DemandAction(self.action).label
        return get_for_action(
            DEMANDS,
            pk,
            request.user,
            allowed=lambda demand: may_take_step(request.user, demand, self.action),
            message=lambda demand: f"您不能对诉求{demand.number}执行“{label}”",
        )

    def get(self, request, pk):
        """No page of its own: the record with this step's form open."""
        demand = self.get_demand(request, pk)
        return redirect(f"{demand.get_absolute_url()}?step={self.action}#step-{self.action}")

    def render_record(self, request, demand, bound_form=None, done=""):
        context = record_context(request, demand, self.action if bound_form else None, bound_form, done)
        return render(request, "demands/_record.html", context)

    def post(self, request, pk):
        demand = self.get_demand(request, pk)
        form = step_form(self.action, request.user, demand, data=request.POST, files=request.FILES)
        label = DemandAction(self.action).label
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.STEPS[self.action](demand, request.user, **form.step_kwargs())
                    add_attachments(demand, request.user, form.cleaned_data["attachments"], self.action)
            except services.NotHolder:
                raise
            except (services.DemandError, NotAllowed) as exc:
                form.add_error(None, str(exc))
            except CalendarMissing as exc:  # a deadline reaching a year the calendar lacks
                form.add_error(None, f"{exc}，无法计算办理期限，未保存。")
            else:
                return self.done(request, demand, f"诉求{demand.number}已{label}。")
        # Nothing was saved: the demand as stored, the form as the user filled it.
        demand = get_object_or_404(DEMANDS, pk=demand.pk)
        if htmx_partial(request):
            return self.render_record(request, demand, form)
        page = DemandView()
        page.setup(request, pk=demand.pk)
        return page.get(request, demand.pk, bound=(self.action, form))

    def done(self, request, demand, message):
        visible = restrict(DEMANDS.filter(pk=demand.pk), request.user, "view").first()
        if htmx_partial(request):
            if visible is None:  # e.g. handed to a department the user does not see
                messages.success(request, message)
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("demands:demand_list")
                return response
            return self.render_record(request, visible, done=message)
        messages.success(request, message)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect(demand.get_absolute_url() if visible else reverse("demands:demand_list"))


class AssignView(DemandActionView):
    action, form = A.ASSIGN, AssignForm


class AcceptView(DemandActionView):
    action = A.ACCEPT


class StartView(DemandActionView):
    action = A.START


class AnswerView(DemandActionView):
    action, form = A.ANSWER, AnswerForm


class ConfirmView(DemandActionView):
    action, form = A.CONFIRM, ConfirmForm


class ReopenView(DemandActionView):
    action, form = A.REOPEN, ReopenForm


class FollowUpView(DemandActionView):
    action, form = A.FOLLOW_UP, FollowUpForm


class ReturnView(DemandActionView):
    action, form = A.RETURN, ReturnForm


class ForwardView(DemandActionView):
    action, form = A.FORWARD, ForwardForm


class AcknowledgeView(DemandActionView):
    action = A.ACKNOWLEDGE


class RequestExtensionView(DemandActionView):
    action, form = A.REQUEST_EXTENSION, ExtensionForm


class ApproveExtensionView(DemandActionView):
    action = A.APPROVE_EXTENSION


class RejectExtensionView(DemandActionView):
    action = A.REJECT_EXTENSION


ACTION_VIEWS = {
    A.ASSIGN: AssignView,
    A.ACCEPT: AcceptView,
    A.START: StartView,
    A.ANSWER: AnswerView,
    A.CONFIRM: ConfirmView,
    A.REOPEN: ReopenView,
    A.FOLLOW_UP: FollowUpView,
    A.RETURN: ReturnView,
    A.FORWARD: ForwardView,
    A.ACKNOWLEDGE: AcknowledgeView,
    A.REQUEST_EXTENSION: RequestExtensionView,
    A.APPROVE_EXTENSION: ApproveExtensionView,
    A.REJECT_EXTENSION: RejectExtensionView,
}


def my_demands(request):
    """What I must act on now, the earliest deadline first."""
    user = request.user
    if not has_perm(user, Demand, "view"):
        raise PermissionDenied("没有查看权限")
    calendar = WorkCalendar()
    today = timezone.localdate()
    demands = list(restrict(services.my_demands(user), user, "view")[:200])
    granted = _granted(user, [d.pk for d in demands])
    rows = [
        (d, light_badge(services.light(d, today, calendar)), _permitted_actions(user, d, granted))
        for d in demands
    ]
    rows = [(d, badge, [DemandAction(a).label for a in acts]) for d, badge, acts in rows if acts]
    return render(request, "demands/my_demands.html", {"rows": rows})


def statistics(request):
    user = request.user
    if not has_perm(user, Demand, "view"):
        raise PermissionDenied("没有查看权限")
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today}
    form = StatisticsForm(request.GET or None, initial=initial, user=user)
    context = {"form": form}
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else initial
        total, rows = services.statistics(
            data["start"],
            data["end"],
            queryset=restrict(Demand.objects.all(), user, "view"),
            department=data.get("department"),
            category=data.get("category"),
            today=today,
        )
        context.update(total=total, rows=rows, start=data["start"], end=data["end"])
    return render(request, "demands/statistics.html", context)


def attachment_download(request, pk):
    """A demand's attachment, for those who may see it (404 for anybody else)."""
    attachment = get_object_or_404(restrict(DemandAttachment.objects.all(), request.user, "view"), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在，请联系系统管理员") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


class DemandCategoryListView(generic.ObjectListView):
    queryset = DemandCategory.objects.all()
    filterset = DemandCategoryFilterSet
    table = DemandCategoryTable


class DemandCategoryView(generic.ObjectView):
    queryset = DemandCategory.objects.all()


class DemandCategoryEditView(generic.ObjectEditView):
    queryset = DemandCategory.objects.all()
    form = DemandCategoryForm
