"""Excel import of the enterprise registry (企业库): one row per enterprise, by 统一社会信用代码."""

from yuanqu.utilities.importing import Column, Importer, register

from .forms import EnterpriseForm
from .models import Enterprise
from .tables import EnterpriseTable
from .validators import normalise_uscc


class EnterpriseImportForm(EnterpriseForm):
    """The edit form's validation; from the command line without a user 责任部门 may stay empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None:
            self.fields["department"].required = False


@register
class EnterpriseImporter(Importer):
    name = "enterprises"
    model = Enterprise
    form = EnterpriseImportForm
    key = "uscc"
    queryset = Enterprise.objects.select_related("industry", "industry_chain", "zone", "department")
    table = EnterpriseTable
    template_filename = "企业导入模板.xlsx"
    columns = [
        Column(
            "统一社会信用代码",
            "uscc",
            required=True,
            text=True,
            help="18位代码，如 91610100MA6U0X2K4F。已存在的企业按此代码更新，不存在的新建",
        ),
        Column("企业名称", "name", required=True, help="营业执照上的全称"),
        Column("简称", "short_name"),
        Column("成立日期", "founded_on", help="格式 YYYY-MM-DD，如 2015-06-30"),
        Column("注册资本（万元）", "registered_capital_wan", help="数字，单位万元，如 500 或 1200.5"),
        Column("企业类型", "enterprise_type", help="从下拉列表中选择"),
        Column(
            "行业代码",
            "industry",
            text=True,
            pad=4,
            aliases=("行业", "行业（小类）"),
            help="GB/T 4754-2017 国民经济行业分类的四位小类代码，如 3874",
        ),
        Column("产业链", "industry_chain", help="从下拉列表中选择系统中已有的产业链"),
        Column("片区", "zone", help="从下拉列表中选择系统中已有的片区"),
        Column("地址", "address"),
        Column("用地面积（亩）", "land_area_mu", help="数字，单位亩，如 35.5；亩均效益评价按此计算"),
        Column(
            "经营状态",
            "status",
            aliases=("状态",),
            blank_keeps=True,
            help="从下拉列表中选择；新建时留空为“在营”",
        ),
        Column("外资企业", "is_foreign_invested", help="是 或 否，留空为否"),
        Column(
            "责任部门",
            "department",
            blank_keeps=True,
            help="部门全称；新建的企业留空时为导入人所在部门，已有企业留空时不变",
        ),
        Column("备注", "comments"),
    ]

    def normalise_key(self, value):
        return normalise_uscc(value)

    def initial_for_new(self):
        return {"department": self.user.department_id} if self.user is not None else {}
