"""Excel import of investment leads (招商项目): one row per lead, by 项目名称.

The import records a lead's facts; its stage changes only through ``services.move_stage``
(a new lead starts at 线索 on its 线索日期).
"""

from yuanqu.utilities.importing import Column, Importer, register

from .forms import LeadForm
from .models import Lead
from .tables import LeadTable
from .views import LEADS


class LeadImportForm(LeadForm):
    """The edit form's validation; from the command line without a user 责任部门 may stay empty."""

    class Meta(LeadForm.Meta):
        fields = [f for f in LeadForm.Meta.fields if f not in ("team", "enterprise")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None:
            self.fields["department"].required = False


@register
class LeadImporter(Importer):
    name = "investment-leads"
    model = Lead
    form = LeadImportForm
    key = "name"
    queryset = LEADS
    table = LeadTable
    template_filename = "招商项目导入模板.xlsx"
    columns = [
        Column("项目名称", "name", required=True, help="已存在的项目按名称更新，不存在的新建"),
        Column("投资方", "investor", required=True),
        Column("来源地区", "origin_region", required=True, help="从下拉列表中选择"),
        Column("来源城市", "origin_city", help="如 宁波"),
        Column("省内投资方", "in_province", help="是 或 否，留空为否"),
        Column("产业链", "industry_chain", help="从下拉列表中选择系统中已有的产业链"),
        Column("建设内容", "content"),
        Column("协议投资额（万元）", "contracted_investment_wan", help="数字，单位万元；未签约填0"),
        Column("预计年税收（万元）", "expected_tax_wan"),
        Column("预计年产值（万元）", "expected_output_wan"),
        Column("用地（亩）", "land_mu"),
        Column("用电（千伏安）", "power_kva"),
        Column("招商方式", "source", required=True, help="从下拉列表中选择"),
        Column("包联领导", "leader", help="领导姓名"),
        Column(
            "责任部门",
            "department",
            blank_keeps=True,
            help="部门全称；新建的项目留空时为导入人所在部门，已有项目留空时不变",
        ),
        Column("线索日期", "lead_on", required=True, help="格式 YYYY-MM-DD；已有项目不修改"),
        Column("备注", "comments"),
    ]

    def initial_for_new(self):
        return {"department": self.user.department_id} if self.user is not None else {}
