import django_tables2 as tables

from yuanqu.utilities.links import GuardedLinkColumn
from yuanqu.utilities.tables import BaseTable

from .models import Enterprise, Qualification


class EnterpriseTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name="企业名称")
    uscc = tables.Column(verbose_name="统一社会信用代码")
    industry = tables.Column(verbose_name="行业", order_by=("industry__code",))
    industry_chain = tables.Column(verbose_name="产业链")
    zone = tables.Column(verbose_name="片区")
    status = tables.Column(verbose_name="状态")
    registered_capital_wan = tables.Column(verbose_name="注册资本（万元）")
    founded_on = tables.DateColumn(format="Y-m-d", verbose_name="成立日期")

    class Meta(BaseTable.Meta):
        model = Enterprise
        fields = (
            "name",
            "short_name",
            "uscc",
            "industry",
            "industry_chain",
            "zone",
            "status",
            "registered_capital_wan",
            "founded_on",
            "is_foreign_invested",
            "department",
        )
        sequence = fields


class QualificationTable(BaseTable):
    enterprise = tables.Column(linkify=True)
    kind = tables.Column()
    valid = tables.Column(empty_values=(), verbose_name="当前状态", orderable=False)

    class Meta(BaseTable.Meta):
        model = Qualification
        fields = ("enterprise", "kind", "level", "certificate_no", "granted_on", "valid_until", "revoked_on")
        sequence = (*fields, "valid")

    def render_valid(self, record):
        from .services import valid_on

        return "有效" if valid_on(record) else "已失效"


class IndustryChainTable(BaseTable):
    # To the edit page for those who keep the list, else to the chain's enterprises.
    name = GuardedLinkColumn(
        "enterprises:industrychain_edit", fallback=lambda record: record.get_absolute_url(), verbose_name="产业链"
    )

    class Meta(BaseTable.Meta):
        from .models import IndustryChain

        model = IndustryChain
        fields = ("name", "order", "active")
