from django import forms

from yuanqu.utilities.forms import BaseModelForm

from .models import TaskReport


class TaskReportForm(BaseModelForm):
    class Meta:
        model = TaskReport
        fields = ["reported_on", "percent", "progress", "problems", "next_step"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}),
            "progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if percent > 100:
            raise forms.ValidationError("完成进度须在0到100之间。")
        return percent


class CloseItemForm(forms.Form):
    evidence = forms.CharField(label="佐证材料说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_file = forms.CharField(label="佐证文件名", max_length=200, required=False)


class LookbackForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="复查结果",
        choices=[("1", "通过（问题未反弹）"), ("0", "重新整改")],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
