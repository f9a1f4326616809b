from django import forms
from django.utils import timezone

from yuanqu.core.workdays import CalendarMissing, received_on
from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import Department
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseForm, BaseModelForm, DateField, DateTimeField

from .attachments import AttachmentsField
from .choices import Channel, Satisfaction
from .models import DemandCategory


def _categories():
    return DemandCategory.objects.filter(active=True)


def _any_category(field):
    # Categories are the intake's reference list: whoever may file a demand (a grid worker,
    # an enterprise) picks one by name, with or without a grant to browse the category pages.
    field.restrict_choices = False
    return field


class DemandForm(BaseForm):
    """受理 by staff or a grid worker: any enterprise the user may see."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label="企业")
    category = _any_category(forms.ModelChoiceField(queryset=DemandCategory.objects.none(), label="类别"))
    channel = forms.ChoiceField(
        choices=[c for c in Channel.choices if c[0] != Channel.PORTAL], label="来源渠道"
    )
    external_number = forms.CharField(
        label="外部工单号", max_length=50, required=False, help_text="经12345热线转来时填写"
    )
    title = forms.CharField(label="标题", max_length=200)
    description = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 5}))
    received_at = DateTimeField(
        label="受理时间",
        required=False,
        help_text="不填为当前时间",
    )
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = restrict(Enterprise.objects.all(), self.user, "view")
        self.fields["category"].queryset = _categories()

    def clean_external_number(self):
        value = self.cleaned_data["external_number"].strip()
        if self.cleaned_data.get("channel") == Channel.HOTLINE_12345 and not value:
            raise forms.ValidationError("12345热线转来的诉求请填写外部工单号")
        return value

    def clean(self):
        data = super().clean()
        when = data.get("received_at")
        if when and when > timezone.now():
            self.add_error("received_at", "受理时间不能晚于当前时间")
        elif when:
            try:  # the clock starts on the day of receipt: its year must be in the calendar
                received_on(when)
            except CalendarMissing as exc:
                self.add_error("received_at", f"受理时间{when:%Y-%m-%d}超出工作日历：{exc}，无法计算办理期限")
        return data


class PortalDemandForm(BaseForm):
    """An enterprise user's submission: the enterprise is theirs, the channel 企业端."""

    category = _any_category(forms.ModelChoiceField(queryset=DemandCategory.objects.none(), label="类别"))
    title = forms.CharField(label="标题", max_length=200)
    description = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 5}))
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()


class TextForm(BaseForm):
    """A step's form; every step may carry attachments (a photo, the signed answer …)."""

    text = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = AttachmentsField()

    def __init__(self, *args, demand=None, **kwargs):
        self.demand = demand
        super().__init__(*args, **kwargs)

    def step_kwargs(self):
        return {"text": self.cleaned_data["text"]}


class RequiredTextForm(TextForm):
    text = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(RequiredTextForm):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}))


class ReturnForm(TextForm):
    text = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))

    def step_kwargs(self):
        return {"reason": self.cleaned_data["text"]}


class AssignForm(TextForm):
    department = forms.ModelChoiceField(queryset=Department.objects.all(), label="责任部门")
    supporting = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(),
        label="配合部门",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    # A demand may be handed to any department: who may assign is the workflow's check on
    # the actor (services), not a grant to browse the department pages.
    department.restrict_choices = False
    supporting.restrict_choices = False
    workdays = forms.IntegerField(label="办理时限（工作日）", min_value=1, max_value=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.demand is not None:
            self.fields[
                "workdays"
            ].help_text = f"不填按类别时限{self.demand.category.time_limit_workdays}个工作日，自交办时起算"

    def step_kwargs(self):
        data = self.cleaned_data
        return {
            "department": data["department"],
            "supporting": data["supporting"],
            "text": data["text"],
            "workdays": data["workdays"],
        }


class ForwardForm(TextForm):
    forwarded_to = forms.CharField(label="转办单位", max_length=100)

    def step_kwargs(self):
        return {"forwarded_to": self.cleaned_data["forwarded_to"], "text": self.cleaned_data["text"]}


class ConfirmForm(TextForm):
    """确认办结 by the enterprise: its rating of the answer (the page offers one button each)."""

    satisfaction = forms.ChoiceField(choices=Satisfaction.choices, label="满意度", widget=forms.RadioSelect)
    text = forms.CharField(label="评价意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["satisfaction", "text"]

    def step_kwargs(self):
        return {"satisfaction": self.cleaned_data["satisfaction"], "text": self.cleaned_data["text"]}


class ReopenForm(TextForm):
    text = forms.CharField(
        label="重新办理的理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说明答复哪里没有解决问题，将退回承办部门重新办理",
    )

    def step_kwargs(self):
        return {"reason": self.cleaned_data["text"]}


class FollowUpForm(TextForm):
    """回访 by the holder of an enterprise without an account: whom, when, the rating."""

    contact = forms.CharField(
        label="回访对象", max_length=100, help_text="接听电话的企业人员及电话，如“张经理 13800000000”"
    )
    called_at = DateTimeField(label="回访时间", required=False, help_text="不填为当前时间")
    satisfaction = forms.ChoiceField(choices=Satisfaction.choices, label="满意度", widget=forms.RadioSelect)
    text = forms.CharField(label="回访记录", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["contact", "called_at", "satisfaction", "text"]

    def clean_called_at(self):
        value = self.cleaned_data["called_at"]
        if value and value > timezone.now():
            raise forms.ValidationError("回访时间不能晚于当前时间")
        return value

    def step_kwargs(self):
        data = self.cleaned_data
        return {
            "satisfaction": data["satisfaction"],
            "contact": data["contact"],
            "text": data["text"],
            "at": data["called_at"],
        }


class ExtensionForm(TextForm):
    days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=60)
    text = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))

    def step_kwargs(self):
        return {"days": self.cleaned_data["days"], "reason": self.cleaned_data["text"]}


class StatisticsForm(BaseForm):
    start = DateField(label="受理日期起")
    end = DateField(label="受理日期止")
    department = forms.ModelChoiceField(queryset=Department.objects.all(), label="责任部门", required=False)
    category = forms.ModelChoiceField(queryset=DemandCategory.objects.all(), label="类别", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "截止日期不能早于起始日期")
        return data


class DemandCategoryForm(BaseModelForm):
    class Meta:
        model = DemandCategory
        fields = ["name", "group", "time_limit_workdays", "yellow_before_workdays", "order", "active"]
        help_texts = {
            "time_limit_workdays": "交办后按此工作日数计算办理期限（交办时可另行指定）",
            "yellow_before_workdays": "距办理期限不超过此工作日数时亮黄灯",
        }

    def clean(self):
        data = super().clean()
        limit, yellow = data.get("time_limit_workdays"), data.get("yellow_before_workdays")
        if limit is not None and limit < 1:
            self.add_error("time_limit_workdays", "办理时限至少为1个工作日")
        if limit is not None and yellow is not None and yellow >= limit:
            self.add_error("yellow_before_workdays", f"黄灯提前天数应小于办理时限（{limit}个工作日）")
        return data
