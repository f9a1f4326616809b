from django.utils import timezone
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.utilities.api import RestrictedPrimaryKeyRelatedField, ValidatedModelSerializer

from .. import services
from ..choices import Stage
from ..models import FundsInPlace, Lead, LeadEvent, TalentIntroduction

STAFF = User.objects.filter(is_active=True, role__in=(Role.STAFF, Role.LEADER))
# Set by the stage moves (services.move_stage), never written directly.
STAGE_FIELDS = [
    "stage",
    "stage_changed_on",
    "negotiating_on",
    "signed_on",
    "registered_on",
    "started_on",
    "producing_on",
    "terminated_on",
    "termination_reason",
]


class LeadSerializer(ValidatedModelSerializer):
    """招商项目；阶段只能通过 move 操作变更（POST /api/leads/{id}/move/）。"""

    url = serializers.HyperlinkedIdentityField(view_name="investment-api:lead-detail")
    name = serializers.CharField(
        max_length=200,
        label="项目名称",
        validators=[UniqueValidator(Lead.objects.all(), message="该项目名称已登记")],
    )
    leader = RestrictedPrimaryKeyRelatedField(
        queryset=STAFF.filter(role=Role.LEADER), required=False, allow_null=True, label="包联领导"
    )
    team = RestrictedPrimaryKeyRelatedField(queryset=STAFF, many=True, required=False, label="招商专班")
    stage_label = serializers.CharField(source="get_stage_display", read_only=True, label="阶段名称")

    class Meta:
        model = Lead
        fields = [
            "id",
            "url",
            "name",
            "investor",
            "origin_region",
            "origin_city",
            "in_province",
            "industry_chain",
            "content",
            "contracted_investment_wan",
            "expected_tax_wan",
            "expected_output_wan",
            "land_mu",
            "power_kva",
            "source",
            "leader",
            "team",
            "department",
            "lead_on",
            *STAGE_FIELDS,
            "stage_label",
            "enterprise",
            "key_project",
            "comments",
            "created",
            "last_updated",
        ]
        read_only_fields = STAGE_FIELDS
        extra_kwargs = {"department": {"required": False, "help_text": "新建时默认为当前用户的部门"}}

    def validate_lead_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("线索日期不能晚于今天")
        if self.instance is not None and value != self.instance.lead_on:
            raise serializers.ValidationError("线索日期登记后不能修改")
        return value

    def validate(self, attrs):
        if "stage" in self.initial_data:
            raise serializers.ValidationError(
                {"stage": "阶段须通过 POST /api/leads/{id}/move/ 变更，并记录原因"}
            )
        if self.instance is None and attrs.get("department") is None:
            attrs["department"] = self.context["request"].user.department
        return super().validate(attrs)

    def create(self, validated_data):
        team = validated_data.pop("team", [])
        lead = services.open_lead(Lead(**validated_data), self.context["request"].user)
        lead.team.set(team)
        return lead


class MoveSerializer(serializers.Serializer):
    """一次阶段变更：跳过阶段、退回或终止须填写原因。"""

    stage = serializers.ChoiceField(choices=Stage.choices, label="移至阶段")
    date = serializers.DateField(required=False, allow_null=True, label="日期", help_text="不填为今天")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, label="原因/说明")


class LeadEventSerializer(serializers.ModelSerializer):
    """招商项目的一次阶段变更（只读）。"""

    class Meta:
        model = LeadEvent
        fields = ["id", "lead", "from_stage", "to_stage", "actor", "date", "note", "created"]


class FundsInPlaceSerializer(ValidatedModelSerializer):
    """招商项目的一笔实际到位资金。"""

    class Meta:
        model = FundsInPlace
        fields = ["id", "lead", "date", "kind", "amount_wan", "created", "last_updated"]


class TalentIntroductionSerializer(ValidatedModelSerializer):
    """招商项目引进的人才（按层次计人数）。"""

    class Meta:
        model = TalentIntroduction
        fields = ["id", "lead", "date", "tier", "count", "created", "last_updated"]
