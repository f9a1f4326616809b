import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable

from .models import Lead


class LeadTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name="项目名称")
    contracted_investment_wan = tables.Column(verbose_name="协议投资额（万元）")

    class Meta(BaseTable.Meta):
        model = Lead
        fields = (
            "name",
            "investor",
            "origin_region",
            "origin_city",
            "industry_chain",
            "source",
            "contracted_investment_wan",
            "stage",
            "stage_changed_on",
            "lead_on",
            "signed_on",
            "leader",
            "department",
        )
        sequence = fields
