from django import forms

from yuanqu.users.choices import ZoneKind
from yuanqu.users.models import Zone
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseModelForm, DateInput

from .models import Contact, Enterprise, Industry, Qualification, ScaleRecord
from .validators import normalise_uscc, uscc_errors


class IndustryField(forms.CharField):
    """A GB/T 4754-2017 小类, typed as its code or picked by name (type-ahead)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "industry-options", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Industry):
            return str(value)
        if value and not isinstance(value, str):
            value = str(value)
        if value and value.isdigit():
            industry = Industry.objects.filter(code=value).first()
            return str(industry) if industry else value
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        code = value.split()[0]
        industry = Industry.objects.filter(code=code).first() or Industry.objects.filter(name=value).first()
        if industry is None:
            raise forms.ValidationError(f"“{value}”不是 GB/T 4754-2017 的行业代码或名称")
        if industry.level != 4:
            raise forms.ValidationError(f"“{industry}”不是小类，请选择四位代码的小类")
        return industry


class EnterpriseForm(BaseModelForm):
    industry = IndustryField(label="行业（小类）", required=False, help_text="输入代码或名称，如 3874 或 智能照明")

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "short_name",
            "founded_on",
            "registered_capital_wan",
            "enterprise_type",
            "industry",
            "industry_chain",
            "zone",
            "address",
            "status",
            "is_foreign_invested",
            "land_area_mu",
            "department",
            "comments",
        ]
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(kind=ZoneKind.AREA)
        self.fields["department"].required = True
        if self.instance.pk is None and self.user is not None and not self.initial.get("department"):
            self.initial["department"] = self.user.department_id

    def clean_uscc(self):
        value = normalise_uscc(self.cleaned_data["uscc"])
        errors = uscc_errors(value)
        if errors:
            raise forms.ValidationError("；".join(errors))
        return value


class EnterpriseChildForm(BaseModelForm):
    """A form for a record of one enterprise: the enterprise is one the user may change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        field.queryset = restrict(Enterprise.objects.all(), self.user, "view")
        if self.instance.pk:
            field.disabled = True


class ContactForm(EnterpriseChildForm):
    class Meta:
        model = Contact
        fields = ["enterprise", "name", "position", "mobile", "is_primary"]

    def clean_mobile(self):
        value = self.cleaned_data["mobile"].strip().replace(" ", "").replace("-", "")
        if value and not (value.isdigit() and 7 <= len(value) <= 13):
            raise forms.ValidationError("手机号应为数字，如 13812345678")
        return value


class QualificationForm(EnterpriseChildForm):
    class Meta:
        model = Qualification
        fields = [
            "enterprise",
            "kind",
            "level",
            "certificate_no",
            "granted_on",
            "valid_until",
            "revoked_on",
            "rule_version",
            "notes",
        ]
        widgets = {
            "granted_on": DateInput(),
            "valid_until": DateInput(),
            "revoked_on": DateInput(),
        }
        help_texts = {"valid_until": "留空时按资质类型推算（高新技术企业为认定日期起三年）"}


class ScaleRecordForm(EnterpriseChildForm):
    class Meta:
        model = ScaleRecord
        fields = ["enterprise", "year", "kind"]


class IndustryChainForm(BaseModelForm):
    class Meta:
        from .models import IndustryChain

        model = IndustryChain
        fields = ["name", "order", "active"]
