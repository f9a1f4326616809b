from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from yuanqu.users.choices import ZoneKind
from yuanqu.users.models import Department, Zone
from yuanqu.users.permissions import can, restrict
from yuanqu.utilities.api import (
    IdentityURLField,
    RestrictedPrimaryKeyRelatedField,
    ValidatedModelSerializer,
    note_personal_read,
)
from yuanqu.utilities.privacy import mask_field

from ..choices import QualificationKind
from ..models import Contact, Enterprise, Industry, Qualification
from ..services import valid_on
from ..validators import normalise_uscc, validate_uscc


class USCCField(serializers.CharField):
    """A 统一社会信用代码, normalised (spaces, dashes, lower case) before it is checked."""

    def to_internal_value(self, data):
        return normalise_uscc(super().to_internal_value(data))


class IndustryCodeField(serializers.SlugRelatedField):
    """A GB/T 4754-2017 小类 by its four-digit code."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Industry.objects.all(), **kwargs)

    def to_internal_value(self, data):
        code = str(data).strip()
        industry = Industry.objects.filter(code=code).first()
        if industry is None:
            raise serializers.ValidationError(f"“{code}”不是 GB/T 4754-2017 的行业代码")
        if industry.level != 4:
            raise serializers.ValidationError(f"“{industry}”不是小类，请填写四位代码的小类")
        return industry


class ContactSerializer(serializers.Serializer):
    """企业联系人；无“查看个人信息”权限时手机号打码（如 138****5678），有权限时的明文读取记入安全审计。"""

    name = serializers.CharField(read_only=True)
    position = serializers.CharField(read_only=True)
    mobile = serializers.CharField(read_only=True)


class EnterpriseSerializer(ValidatedModelSerializer):
    """企业库中的一家企业，以统一社会信用代码为唯一标识。"""

    url = IdentityURLField(view_name="enterprises-api:enterprise-detail")
    uscc = USCCField(
        label="统一社会信用代码",
        validators=[
            validate_uscc,
            UniqueValidator(Enterprise.objects.all(), message="该统一社会信用代码已登记"),
        ],
    )
    industry = IndustryCodeField(label="行业（小类）代码", required=False, allow_null=True)
    industry_name = serializers.CharField(
        source="industry.name", read_only=True, allow_null=True, label="行业名称"
    )
    zone = RestrictedPrimaryKeyRelatedField(
        queryset=Zone.objects.filter(kind=ZoneKind.AREA), required=False, allow_null=True, label="片区"
    )
    department = RestrictedPrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        label="责任部门",
        help_text="新建时默认为当前用户的部门",
    )
    contacts = serializers.SerializerMethodField(label="联系人")
    valid_qualifications = serializers.SerializerMethodField(label="今日有效资质")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "url",
            "uscc",
            "name",
            "short_name",
            "founded_on",
            "registered_capital_wan",
            "enterprise_type",
            "industry",
            "industry_name",
            "industry_chain",
            "zone",
            "address",
            "status",
            "is_foreign_invested",
            "department",
            "comments",
            "contacts",
            "valid_qualifications",
            "created",
            "last_updated",
        ]

    def validate(self, attrs):
        if self.instance is None and attrs.get("department") is None:
            attrs["department"] = self.context["request"].user.department
        return super().validate(attrs)

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, enterprise):
        user = self.context["request"].user
        contacts = getattr(enterprise, "visible_contacts", None)
        if contacts is None:
            contacts = restrict(enterprise.contacts.all(), user, "view")
        show_personal = getattr(enterprise, "show_personal", None)
        if show_personal is None:
            show_personal = can(user, enterprise, "view_personal")
        if show_personal:  # the API's reads of personal data in clear are audited
            for c in contacts:
                if c.mobile:
                    note_personal_read(self.context["request"], Contact, c.pk, ["mobile"])
        return [
            {
                "name": c.name,
                "position": c.position,
                "mobile": c.mobile if show_personal else mask_field(Contact, "mobile", c.mobile),
            }
            for c in contacts
        ]

    # An inline enum: a second named enum of the same choices as Qualification.kind would
    # make drf-spectacular warn about two names for one choice set.
    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": QualificationKind.values}})
    def get_valid_qualifications(self, enterprise):
        qualifications = getattr(enterprise, "visible_qualifications", None)
        if qualifications is None:
            qualifications = restrict(enterprise.qualifications.all(), self.context["request"].user, "view")
        today = timezone.localdate()
        return sorted({q.kind for q in qualifications if valid_on(q, today)})


class QualificationSerializer(ValidatedModelSerializer):
    """企业的一次资质认定；有效期至留空时按资质类型推算。"""

    url = IdentityURLField(view_name="enterprises-api:qualification-detail")
    # Declared fields are taken out of the class, so this does not hide Serializer.is_valid().
    is_valid = serializers.SerializerMethodField(label="今日有效")

    class Meta:
        model = Qualification
        fields = [
            "id",
            "url",
            "enterprise",
            "kind",
            "level",
            "certificate_no",
            "granted_on",
            "valid_until",
            "revoked_on",
            "rule_version",
            "notes",
            "is_valid",
        ]

    def get_is_valid(self, qualification) -> bool:
        return valid_on(qualification)
