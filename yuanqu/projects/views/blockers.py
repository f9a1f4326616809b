"""Blockers (堵点): added and edited under a project, turned into a demand or a supervision
task through those apps' services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from yuanqu.demands.models import Demand
from yuanqu.supervision.models import Task
from yuanqu.users.permissions import can, has_perm
from yuanqu.utilities.grants import OutsideGrant, get_for_action

from ..forms import BlockerDemandForm, BlockerForm, BlockerTaskForm
from ..models import Blocker
from ..services.conversions import blocker_to_demand, blocker_to_task
from .common import ChildEditView


class BlockerEditView(ChildEditView):
    queryset = Blocker.objects.all()
    form = BlockerForm


class BlockerConvertView(View):
    """GET: the form; POST: turn the blocker into an enterprise demand or a supervision task.

    The blocker is fetched with the view grant (404 outside it); only users who may add the
    target record may convert (403 otherwise); a converted blocker refuses a second one."""

    target = ""  # "demand" or "task"

    def setup_blocker(self, request, pk):
        model = Demand if self.target == "demand" else Task
        return get_for_action(
            Blocker.objects.select_related("project", "demand", "task"),
            pk,
            request.user,
            allowed=lambda blocker: has_perm(request.user, model, "add"),
            message=f"没有新建{model._meta.verbose_name}的权限",
        )

    def form(self, request, blocker, data=None):
        if self.target == "demand":
            return BlockerDemandForm(data, user=request.user, blocker=blocker)
        return BlockerTaskForm(data, user=request.user, blocker=blocker)

    def render_page(self, request, blocker, form):
        title = "转为企业诉求" if self.target == "demand" else "转为督办任务"
        return render(
            request, "projects/blocker_convert.html", {"blocker": blocker, "form": form, "title": title}
        )

    def get(self, request, pk):
        blocker = self.setup_blocker(request, pk)
        return self.render_page(request, blocker, self.form(request, blocker))

    def post(self, request, pk):
        blocker = self.setup_blocker(request, pk)
        form = self.form(request, blocker, request.POST)
        if not form.is_valid():
            return self.render_page(request, blocker, form)
        try:
            with transaction.atomic():
                if self.target == "demand":
                    record = blocker_to_demand(blocker, request.user, form.cleaned_data["category"])
                else:
                    record = blocker_to_task(
                        blocker,
                        request.user,
                        form.cleaned_data["work_point"],
                        form.cleaned_data["due_on"],
                        today=timezone.localdate(),
                    )
                    if not can(request.user, record, "add"):
                        raise OutsideGrant
        except OutsideGrant:
            raise PermissionDenied("只能为本部门新建督办任务：该堵点的责任部门不是您的部门") from None
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.render_page(request, blocker, form)
        messages.success(request, f"已将堵点转为{record._meta.verbose_name}{record.number}。")
        return redirect(blocker.project.get_absolute_url() + "#blockers")
