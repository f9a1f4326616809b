from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import Zone
from yuanqu.utilities.api import RestrictedPrimaryKeyRelatedField

from ..models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from ..services import (
    check_unlocked,
    complete_values,
    parse_period,
    record_enterprise_value,
    record_zone_figure,
)


@extend_schema_field(OpenApiTypes.STR)
class MonthField(serializers.Field):
    """A month as “2023-10” (a date in the month is accepted too)."""

    def to_internal_value(self, data):
        try:
            return parse_period(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from None

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class IndicatorSerializer(serializers.ModelSerializer):
    """经济指标目录中的一个指标。"""

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "kind",
            "level",
            "population",
            "growth_published",
            "order",
            "active",
        ]


class VersionedValueSerializer(serializers.ModelSerializer):
    """A monthly report; POST records it as a new version (a correction needs ``reason``)."""

    period = MonthField(label="月份", help_text="如 2023-10")
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.filter(active=True), label="指标"
    )
    reported_by = serializers.StringRelatedField(read_only=True, label="填报人")
    owner_field = ""  # the subclass's owner (enterprise or zone) and its service function:
    recorder = None  # record_enterprise_value or record_zone_figure
    strict = True

    def validate(self, attrs):
        owner = {self.owner_field: attrs[self.owner_field]}
        model = self.Meta.model
        try:
            check_unlocked(attrs["period"])
            complete_values(
                model, owner, attrs["indicator"], attrs["period"],
                attrs.get("month_value"), attrs.get("ytd_value"), self.strict,
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        exists = model.objects.filter(**owner, indicator=attrs["indicator"], period=attrs["period"]).exists()
        if exists and not (attrs.get("reason") or "").strip():
            raise serializers.ValidationError({"reason": "该月已有此指标数据，更正须填写更正原因"})
        return attrs

    def create(self, validated_data):
        data = dict(validated_data)
        try:
            return self.recorder(
                data.pop(self.owner_field),
                data.pop("indicator"),
                data.pop("period"),
                user=self.context["request"].user,
                **data,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None


READ_ONLY = ["version", "is_current", "reported_by", "created"]


class EnterpriseMonthlyValueSerializer(VersionedValueSerializer):
    """企业某月某指标的数据（当前版本及历史版本）。"""

    enterprise = RestrictedPrimaryKeyRelatedField(queryset=Enterprise.objects.all(), label="企业")
    owner_field = "enterprise"

    class Meta:
        model = EnterpriseMonthlyValue
        fields = ["id", "enterprise", "indicator", "period", "month_value", "ytd_value", "reason", *READ_ONLY]
        read_only_fields = READ_ONLY
        validators = []  # the version is the service's: a repeated month becomes the next one

    recorder = staticmethod(record_enterprise_value)


class ZoneMonthlyFigureSerializer(VersionedValueSerializer):
    """园区/片区某月某指标的数据，含统计部门公布的增速（小数，0.065 即6.5%）。"""

    zone = RestrictedPrimaryKeyRelatedField(queryset=Zone.objects.all(), label="园区/片区")
    owner_field = "zone"
    strict = False

    class Meta:
        model = ZoneMonthlyFigure
        fields = [
            "id", "zone", "indicator", "period", "month_value", "ytd_value", "published_growth", "reason",
            *READ_ONLY,
        ]  # fmt: skip
        read_only_fields = READ_ONLY
        validators = []

    recorder = staticmethod(record_zone_figure)


class IndicatorSummaryRowSerializer(serializers.Serializer):
    """One row of ``yuanqu indicators --json``: fractions to 4 decimals, values to 2."""

    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    month_value = serializers.FloatField(allow_null=True)
    ytd = serializers.FloatField(allow_null=True)
    base = serializers.FloatField(allow_null=True)
    growth = serializers.FloatField(allow_null=True)
    published_growth = serializers.BooleanField()
    target = serializers.FloatField(allow_null=True)
    completion = serializers.FloatField(allow_null=True)
    time_progress = serializers.FloatField(allow_null=True)
    gap_pp = serializers.FloatField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
