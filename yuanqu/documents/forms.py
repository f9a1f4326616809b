from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from yuanqu.utilities.forms import BaseForm, BaseModelForm, DateField
from yuanqu.utilities.periods import parse_period

from .choices import KIND_PARAM, Decision, ReportKind
from .models import ReportTemplate

# A pasted draft is checked in memory: keep it to a real document's size (an uploaded .docx
# has the import's limit, YUANQU_IMPORT_MAX_BYTES, and the zip checks of wordfile.check_docx).
MAX_DRAFT_CHARS = 200_000


class ReportTemplateForm(BaseModelForm):
    """A report type's text; left empty, it is filled with the shipped text of its kind."""

    class Meta:
        model = ReportTemplate
        fields = ["kind", "name", "active", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"})}

    def clean(self):
        from .services import shipped_text

        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and cleaned.get("kind"):
            text = shipped_text(cleaned["kind"])
            if not text:
                self.add_error("text", "请填写模板文本（系统没有该类型的内置文本）")
            cleaned["text"] = text
            self.instance.text = text
        return cleaned


class PreviewForm(BaseForm):
    """What a template's preview is written for: its kind and the month, date or year."""

    kind = forms.ChoiceField(label="材料类型", choices=ReportKind.choices)
    text = forms.CharField(label="模板文本", required=False, widget=forms.Textarea)
    period = forms.CharField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    date = DateField(label="日期", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)

    def clean_period(self):
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            need = KIND_PARAM[ReportKind(kind)]
            labels = {"period": "月份", "date": "日期", "year": "年度"}
            if not cleaned.get(need) and need not in self.errors:
                self.add_error(need, f"{ReportKind(kind).label}须填写{labels[need]}")
        return cleaned


class GenerateForm(PreviewForm):
    """生成材料: the kind, what it is written for, and an optional title."""

    title = forms.CharField(label="标题", required=False, max_length=200, help_text="留空则用模板生成的标题")

    field_order = ["kind", "period", "date", "year", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["text"]


class ReviseForm(BaseForm):
    text = forms.CharField(
        label="本材料的模板文本",
        widget=forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"}),
        help_text="修改文字后重新生成，数据仍由系统按数据目录计算",
    )


class SignForm(BaseForm):
    decision = forms.ChoiceField(
        label="意见", choices=[(Decision.APPROVE, "同意"), (Decision.RETURN, "退回")]
    )
    comment = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CheckForm(BaseForm):
    """材料校核: a pasted text or an uploaded .docx, and the month the figures are for."""

    text = forms.CharField(
        label="粘贴材料文字",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_DRAFT_CHARS,
    )
    file = forms.FileField(label="或上传Word文件（.docx）", required=False)
    period = forms.CharField(
        label="数据月份",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text="填写后核对材料中的数字与该月系统数据是否一致",
    )

    def clean_period(self):
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(".docx"):
            raise ValidationError(f"文件“{upload.name}”不是Word文件（.docx），请另存为.docx后上传")
        limit = settings.YUANQU_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"文件“{upload.name}”大小为{upload.size / 1024 / 1024:.1f} MB，超过上限{limit / 1024 / 1024:.0f} MB"
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError(f"文件“{upload.name}”不是有效的Word文件（.docx）")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("file"):
            raise ValidationError("请粘贴材料文字或上传Word文件")
        return cleaned
