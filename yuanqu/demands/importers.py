"""Excel import of demands (诉求), e.g. from a 12345 hotline export: one row per work order.

Each new row is received through ``services.receive`` as the importing user (首问负责制: the
importer holds it until it is assigned), so it gets its number, deadline and 受理 event like
one typed in. The key is the external work-order number: a row whose number is already a
demand is reported unchanged and not touched again (re-importing the same export is safe).
From the console ``--user`` names the receiver.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.validators import normalise_uscc
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm, DateTimeField
from yuanqu.utilities.importing import Column, Importer, RowError, RowResult, register

from . import services
from .choices import Channel
from .models import Demand, DemandCategory
from .tables import DemandTable


class DemandImportForm(BaseModelForm):
    title = forms.CharField(label="标题", max_length=200, required=False)
    received_at = DateTimeField(label="受理时间")

    class Meta:
        model = Demand
        fields = [
            "channel",
            "external_number",
            "enterprise",
            "category",
            "title",
            "description",
            "received_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = Enterprise.objects.all()
        self.fields["enterprise"].queryset = (
            restrict(enterprises, self.user, "view") if self.user else enterprises
        )
        self.fields["category"].queryset = DemandCategory.objects.filter(active=True)
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.PORTAL]
        self.fields["external_number"].required = True

    def clean(self):
        data = super().clean()
        description = (data.get("description") or "").strip()
        if not (data.get("title") or "").strip() and description:
            data["title"] = description.splitlines()[0][:30]
        when = data.get("received_at")
        if when and when > timezone.now():
            self.add_error("received_at", "受理时间不能晚于当前时间")
        return data

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = services.receive(
            self.user,
            enterprise=data["enterprise"],
            category=data["category"],
            channel=data["channel"],
            external_number=data["external_number"],
            title=data["title"],
            description=data["description"],
            received_at=data["received_at"],
            text="Excel导入",
        )
        return self.instance


@register
class DemandImporter(Importer):
    name = "demands"
    model = Demand
    form = DemandImportForm
    key = "external_number"
    queryset = Demand.objects.select_related("enterprise", "category", "department", "holder_user")
    table = DemandTable
    template_filename = "诉求导入模板.xlsx"
    columns = [
        Column(
            "外部工单号",
            "external_number",
            required=True,
            text=True,
            help="12345等来源的工单号；已导入的工单号跳过",
        ),
        Column("来源渠道", "channel", blank_keeps=True, help="从下拉列表中选择；留空为“12345热线”"),
        Column(
            "统一社会信用代码",
            "enterprise",
            required=True,
            text=True,
            lookup="uscc",
            aliases=("企业信用代码",),
            help="提出诉求企业的18位代码，须为企业库中已有企业",
        ),
        Column("类别", "category", required=True, aliases=("诉求类别",), help="从下拉列表中选择"),
        Column("标题", "title", help="留空时取诉求内容的前30个字"),
        Column("诉求内容", "description", required=True),
        Column(
            "受理时间",
            "received_at",
            required=True,
            aliases=("受理日期",),
            help="如 2024-09-27 或 2024-09-27 10:30",
        ),
    ]

    def __init__(self, user=None):
        if user is None:
            raise ValidationError("导入诉求须用 --user 指定受理人（诉求以其名义受理）")
        super().__init__(user=user)

    def initial_for_new(self):
        return {"channel": Channel.HOTLINE_12345}

    def convert(self, column, value):
        if column.field == "enterprise" and isinstance(value, str) and value.strip():
            value = normalise_uscc(value)
        return super().convert(column, value)

    def read_row(self, number, key, cells, result):
        existing = Demand.objects.filter(external_number=key).first() if key else None
        if existing is None:
            return super().read_row(number, key, cells, result)
        if self.allowed(existing, "view"):
            result.rows.append(RowResult(number, "unchanged", key, str(existing)))
        else:
            result.errors.append(RowError(number, "外部工单号", "该工单号已受理为诉求，且不在您的权限范围内"))
