from django import forms

from yuanqu.utilities.forms import BaseModelForm, DateInput

from .models import CalendarDay, CalendarYear


class CalendarDayForm(BaseModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "kind", "name", "notes"]
        widgets = {"date": DateInput()}


class CalendarYearForm(BaseModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "complete", "notes"]


class HolidayNoticeForm(forms.Form):
    """The text of the State Council's holiday notice, pasted whole."""

    text = forms.CharField(
        label="通知全文",
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "国务院办公厅关于2027年部分节假日安排的通知\n……\n一、元旦：……"}),
        help_text="从中国政府网复制《国务院办公厅关于某年部分节假日安排的通知》全文（含标题）粘贴到此处。",
        error_messages={"required": "请粘贴通知全文", "max_length": "通知全文不应超过%(limit_value)d字（现有%(show_value)d字）"},
    )
    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="粘贴的内容没有标题时填写，如2027。",
        error_messages={
            "invalid": "年份应为四位数字，如2027",
            "min_value": "年份不能早于2000年",
            "max_value": "年份不能晚于2100年",
        },
    )
