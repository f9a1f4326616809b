from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yuanqu.core.workdays import CalendarMissing, WorkCalendar

from .. import services
from ..models import Demand, DemandEvent


class DemandEventSerializer(serializers.ModelSerializer):
    """诉求办理的一步：谁、何时、做了什么。"""

    class Meta:
        model = DemandEvent
        fields = ["id", "demand", "action", "actor", "time", "text", "from_status", "to_status"]


class DemandSerializer(serializers.ModelSerializer):
    """一件企业诉求及其办理状态；light 为今日亮灯（不计时的诉求为 null）。"""

    url = serializers.HyperlinkedIdentityField(view_name="demands-api:demand-detail")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="企业名称")
    category_name = serializers.CharField(source="category.__str__", read_only=True, label="类别名称")
    status_label = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    light = serializers.SerializerMethodField(label="亮灯")
    events = serializers.SerializerMethodField(label="办理记录")

    class Meta:
        model = Demand
        fields = [
            "id",
            "url",
            "number",
            "enterprise",
            "enterprise_name",
            "category",
            "category_name",
            "channel",
            "external_number",
            "title",
            "description",
            "received_at",
            "received_by",
            "status",
            "status_label",
            "holder_user",
            "holder_department",
            "department",
            "supporting_departments",
            "assigned_at",
            "assigned_by",
            "due_on",
            "light",
            "answer",
            "answered_at",
            "closed_at",
            "satisfaction",
            "followed_up_at",
            "follow_up_contact",
            "forwarded_to",
            "forward_acknowledged_at",
            "extension_days",
            "extension_reason",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(DemandEventSerializer(many=True))
    def get_events(self, demand):
        return DemandEventSerializer(demand.events.all(), many=True).data

    def get_light(self, demand) -> str | None:
        calendar = self.context.setdefault("calendar", WorkCalendar())  # one per response
        try:
            return services.light(demand, calendar=calendar)
        except CalendarMissing:
            return None


class IntakeSerializer(serializers.Serializer):
    """受理一件诉求（企业用户只为本企业提交，企业与来源渠道自动填写）。"""

    enterprise = serializers.IntegerField(label="企业", help_text="企业编号；企业用户不填")
    category = serializers.IntegerField(label="类别", help_text="诉求类别编号")
    channel = serializers.CharField(label="来源渠道", help_text="企业用户不填（为“企业端”）")
    external_number = serializers.CharField(
        required=False, label="外部工单号", help_text="12345热线转来时必填"
    )
    title = serializers.CharField(label="标题")
    description = serializers.CharField(label="诉求内容")
    received_at = serializers.DateTimeField(required=False, label="受理时间", help_text="不填为当前时间")


def form_serializer(form_class, name):
    """The request body of a workflow step, described from the page's form (which validates it)."""
    fields = {}
    for field_name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField) or field_name == "attachments":
            continue  # files are uploaded on the demand's page
        options = {"required": field.required, "label": field.label, "help_text": field.help_text or None}
        if isinstance(field, forms.ModelMultipleChoiceField):
            fields[field_name] = serializers.ListField(child=serializers.IntegerField(), **options)
        elif isinstance(field, forms.ModelChoiceField | forms.IntegerField):
            fields[field_name] = serializers.IntegerField(**options)
        elif isinstance(field, forms.ChoiceField):
            options["help_text"] = "、".join(f"{value}（{label}）" for value, label in field.choices)
            fields[field_name] = serializers.CharField(**options)
        else:
            fields[field_name] = serializers.CharField(**options)
    return type(name, (serializers.Serializer,), fields)
