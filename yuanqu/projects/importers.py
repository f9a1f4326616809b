"""Excel imports of the key-project book.

``projects``: the annual project list, one row per project by 项目编号, with its list (级别)
and annual plan for the year and the planned dates of its milestones.

``project-progress`` (``--period 2023-10``): a month's progress, one row per project by
项目编号. A month that has a report already gets a new version (the old one is kept, the
reason says which file); 1–N月累计 is always the sum of the months, never read from a file.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.enterprises.validators import normalise_uscc
from yuanqu.users.permissions import can_add_child
from yuanqu.utilities.importing import (
    Column,
    Importer,
    ImportRejected,
    RowError,
    RowResult,
    _blank,
    _number,
    _text,
    normalise_header,
    register,
)
from yuanqu.utilities.periods import describe, parse_period

from .choices import MilestoneKind, ProjectLevel
from .forms import KeyProjectForm
from .models import KeyProject, Milestone, MonthlyProgress, ProjectYearPlan
from .services.recording import record_progress
from .tables import KeyProjectTable

MILESTONE_FIELDS = {
    "land_planned_on": MilestoneKind.LAND,
    "start_planned_on": MilestoneKind.START,
    "topped_planned_on": MilestoneKind.TOPPED,
    "completed_planned_on": MilestoneKind.COMPLETED,
    "production_planned_on": MilestoneKind.PRODUCTION,
}
DATE = "格式 YYYY-MM-DD；留空不修改"


class ProjectImportForm(KeyProjectForm):
    """The edit form plus the row's list, year, annual plan and planned milestone dates."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="级别", choices=ProjectLevel.choices)
    annual_plan_wan = forms.DecimalField(
        label="年度计划投资（万元）", min_value=0, max_digits=14, decimal_places=2
    )
    land_planned_on = forms.DateField(label="计划拿地日期", required=False)
    start_planned_on = forms.DateField(label="计划开工日期", required=False)
    topped_planned_on = forms.DateField(label="计划主体完工日期", required=False)
    completed_planned_on = forms.DateField(label="计划竣工日期", required=False)
    production_planned_on = forms.DateField(label="计划投产日期", required=False)

    class Meta(KeyProjectForm.Meta):
        fields = [f for f in KeyProjectForm.Meta.fields if f != "comments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None:
            self.fields["department"].required = False

    def clean_total_investment_wan(self):
        value = self.cleaned_data["total_investment_wan"]
        if value is not None and value < 0:
            raise ValidationError("不能为负数")
        return value

    def save(self, commit=True):
        project = super().save()
        data = self.cleaned_data
        ProjectYearPlan.objects.update_or_create(
            project=project,
            year=data["year"],
            level=data["level"],
            defaults={"annual_plan_wan": data["annual_plan_wan"]},
        )
        for name, kind in MILESTONE_FIELDS.items():
            if data.get(name):
                Milestone.objects.update_or_create(
                    project=project, kind=kind, defaults={"planned_on": data[name]}
                )
        return project


def extras(project, data) -> dict:
    """The row's plan and milestone dates as stored now (``project`` None: nothing)."""
    if project is None or not data.get("year") or not data.get("level"):
        return {}
    plan = ProjectYearPlan.objects.filter(project=project, year=data["year"], level=data["level"]).first()
    dates = {m.kind: m.planned_on for m in project.milestones.all()}
    values = {"annual_plan_wan": plan.annual_plan_wan if plan else None}
    values.update({name: dates.get(kind) for name, kind in MILESTONE_FIELDS.items()})
    return values


@register
class ProjectImporter(Importer):
    name = "projects"
    model = KeyProject
    form = ProjectImportForm
    key = "code"
    queryset = KeyProject.objects.select_related("enterprise", "department", "leader")
    table = KeyProjectTable
    template_filename = "重点项目导入模板.xlsx"
    columns = [
        Column("项目编号", "code", required=True, text=True, help="已存在的项目按编号更新，不存在的新建"),
        Column("项目名称", "name", required=True),
        Column("业主企业", "enterprise", help="统一社会信用代码或企业全称；企业须已在企业库中登记"),
        Column("级别", "level", required=True, help="省重点、市重点或区重点"),
        Column("年度", "year", required=True, help="如 2023"),
        Column("项目类型", "type", required=True, help="产业、基础设施或社会民生"),
        Column("计划总投资（万元）", "total_investment_wan", required=True, help="数字，单位万元"),
        Column(
            "年度计划投资（万元）", "annual_plan_wan", required=True, help="该年度该级别的计划投资，单位万元"
        ),
        Column("已入库", "fai_registered", help="是 或 否，留空为否"),
        Column("入库日期", "fai_registered_on", help="已入库时必填，格式 YYYY-MM-DD"),
        Column("包保领导", "leader", help="领导姓名，须为系统中的领导用户"),
        Column(
            "责任部门",
            "department",
            blank_keeps=True,
            help="部门全称；新建的项目留空时为导入人所在部门，已有项目留空时不变",
        ),
        Column("联络员", "liaison"),
        Column("计划拿地日期", "land_planned_on", help=DATE),
        Column("计划开工日期", "start_planned_on", help=DATE),
        Column("计划主体完工日期", "topped_planned_on", help=DATE),
        Column("计划竣工日期", "completed_planned_on", help=DATE),
        Column("计划投产日期", "production_planned_on", help=DATE),
        Column("形象进度", "image_progress"),
    ]

    def initial_for_new(self):
        return {"department": self.user.department_id} if self.user is not None else {}

    def choices_for(self, column):
        if column.field == "enterprise":
            return None  # thousands of names: typed, not picked
        return super().choices_for(column)

    def lookup(self, column, form_field, text):
        if column.field != "enterprise":
            return super().lookup(column, form_field, text)
        enterprises = form_field.queryset
        found = enterprises.filter(uscc=normalise_uscc(text)).values_list("pk", flat=True).first()
        if found:
            return found
        pks = list(enterprises.filter(name=text).values_list("pk", flat=True)[:2])
        if not pks:
            raise ValidationError(f"企业库中没有统一社会信用代码或名称为“{text}”的企业，请先登记企业")
        if len(pks) > 1:
            raise ValidationError(f"名为“{text}”的企业不止一个，请填写统一社会信用代码")
        return pks[0]

    def row_changes(self, existing, before, form):
        """As the base importer, with the row's plan and milestone dates in the comparison."""
        changes = super().row_changes(existing, before, form)
        headers = {c.field: c.header for c in self.columns}
        for name, old in extras(existing, form.cleaned_data).items():
            new = form.cleaned_data.get(name)
            if new is not None and new != old:
                changes.append((headers[name], "—" if old is None else str(old), str(new)))
        return changes


# --- monthly progress -----------------------------------------------------------------------


class ProgressImportForm(forms.Form):
    """The cells of a progress row (read by ``Importer.convert``)."""

    code = forms.CharField(label="项目编号")
    name = forms.CharField(label="项目名称", required=False)
    month_investment_wan = forms.DecimalField(label="当月完成投资（万元）")
    physical_progress = forms.CharField(label="形象进度", required=False)
    problems = forms.CharField(label="存在问题", required=False)
    reason = forms.CharField(label="更正原因", required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


def _shown(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


@register
class ProgressImporter(Importer):
    name = "project-progress"
    model = MonthlyProgress
    form = ProgressImportForm
    key = "code"
    accepts_period = True
    template_filename = "项目月报导入模板.xlsx"
    columns = [
        Column("项目编号", "code", required=True, text=True, help="项目须已在重点项目库中"),
        Column("项目名称", "name", help="仅供核对，不导入"),
        Column(
            "当月完成投资（万元）",
            "month_investment_wan",
            required=True,
            aliases=("本月完成投资（万元）", "当月完成投资"),
            help="该月完成的投资，单位万元；1-N月累计由系统按月汇总，不需填写",
        ),
        Column("形象进度", "physical_progress"),
        Column("存在问题", "problems"),
        Column("更正原因", "reason", help="该月已有月报时视为更正；留空时记为“Excel导入：文件名”"),
    ]

    def __init__(self, user=None, period=None):
        super().__init__(user=user)
        self.period = None
        if period:
            self.period = period if hasattr(period, "year") else parse_period(str(period))

    @property
    def verbose_name(self):
        name = str(self.model._meta.verbose_name)
        return f"{name}（{describe(self.period)}）" if self.period else name

    def run(self, header, rows, result, commit):
        if self.period is None:
            raise ImportRejected("请指定导入的月份（如 2023-10）")
        mapped = self.map_header(header)
        typed_ytd = [
            h for h, c in zip(header, mapped, strict=False) if c is None and "累计" in normalise_header(h)
        ]
        if typed_ytd:
            result.warnings.append(
                f"累计完成投资由系统按各月月报汇总，不从文件读取，已忽略：{'、'.join(str(h) for h in typed_ytd)}"
            )
        others = [h for h in self.unknown_headers if h not in {str(v).strip() for v in typed_ytd}]
        if others:
            result.warnings.append(f"以下列未识别，已忽略：{'、'.join(others)}")
        self.default_reason = f"Excel导入：{self.filename}"[:200]
        seen = {}
        with transaction.atomic():
            for number, values in rows:
                values = list(values) + [None] * (len(mapped) - len(values))
                cells = {c.field: values[i] for i, c in enumerate(mapped) if c is not None}
                code = _text(cells.get("code")) if not _blank(cells.get("code")) else ""
                if code and code in seen:
                    message = f"与第{seen[code]}行重复（同一文件中同一项目只能出现一次）"
                    result.errors.append(RowError(number, "项目编号", message))
                    continue
                seen[code] = number
                self.read_progress_row(number, code, cells, result)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
        return result

    def read_progress_row(self, number, code, cells, result):
        if not code:
            result.errors.append(RowError(number, "项目编号", "必填，不能为空"))
            return
        project = KeyProject.objects.filter(code=code).first()
        if project is None:
            message = f"重点项目库中没有编号为“{code}”的项目，请先导入项目清单"
            result.errors.append(RowError(number, "项目编号", message))
            return
        user = self.user  # None: the command line without --user, with full rights
        if user is not None and not can_add_child(user, MonthlyProgress, "project", project, "import"):
            message = f"项目“{project}”不在您可导入的范围内（例如不属于本部门）"
            result.errors.append(RowError(number, "项目编号", message))
            return
        raw = cells.get("month_investment_wan")
        if _blank(raw):
            result.errors.append(RowError(number, "当月完成投资（万元）", "必填，不能为空"))
            return
        try:
            amount = _number(raw.strip() if isinstance(raw, str) else raw)
        except ValidationError as exc:
            result.errors.append(RowError(number, "当月完成投资（万元）", exc.messages[0]))
            return
        if amount < 0:
            result.errors.append(
                RowError(number, "当月完成投资（万元）", f"不能为负数，实际为“{_shown(amount)}”")
            )
            return
        amount = amount.quantize(Decimal("0.01"))
        texts = {
            name: _text(cells[name]) if not _blank(cells.get(name)) else ""
            for name in ("physical_progress", "problems", "reason")
        }
        current = MonthlyProgress.objects.filter(project=project, period=self.period, is_current=True).first()
        new = (amount, texts["physical_progress"], texts["problems"])
        if (
            current is not None
            and (current.month_investment_wan, current.physical_progress, current.problems) == new
        ):
            result.rows.append(RowResult(number, "unchanged", code, str(project)))
            return
        changes = []
        if current is None or current.month_investment_wan != amount:
            before = current.month_investment_wan if current else None
            changes.append(("当月完成投资（万元）", _shown(before), _shown(amount)))
        if current is not None and current.physical_progress != texts["physical_progress"]:
            changes.append(("形象进度", current.physical_progress or "—", texts["physical_progress"] or "—"))
        if current is not None and current.problems != texts["problems"]:
            changes.append(("存在问题", current.problems or "—", texts["problems"] or "—"))
        try:
            with transaction.atomic():
                record_progress(
                    project,
                    self.period,
                    month_investment_wan=amount,
                    physical_progress=texts["physical_progress"],
                    problems=texts["problems"],
                    reason=(texts["reason"] or self.default_reason) if current is not None else "",
                    user=self.user,
                )
        except ValidationError as exc:
            result.errors.append(RowError(number, "", f"保存失败：{'；'.join(exc.messages)}"))
            return
        status = "new" if current is None else "changed"
        result.rows.append(RowResult(number, status, code, str(project), changes))
