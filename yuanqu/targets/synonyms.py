"""The synonyms a zone's plans use most, seeded once (an administrator may change or delete
them; a deleted one stays deleted). A synonym whose figure the catalogue lacks is skipped."""

DEFAULT_SYNONYMS = {
    "GDP": "economy.gdp",
    "生产总值": "economy.gdp",
    "FDI": "economy.foreign_investment_used",
    "实际使用外资": "economy.foreign_investment_used",
    "一产增加值": "economy.primary_industry_value_added",
    "工业增加值": "economy.industrial_value_added",
    "规模以上工业增加值": "economy.industrial_value_added",
    "规模以上工业总产值": "economy.industrial_output",
    "社零额": "economy.retail_sales",
    "社会消费品零售额": "economy.retail_sales",
    "固投": "economy.fixed_asset_investment",
    "固定资产投资额": "economy.fixed_asset_investment",
    "外贸进出口总额": "economy.import_export",
    "地方一般公共预算收入": "economy.general_budget_revenue",
    "R&D经费支出": "economy.rd_expenditure",
    "R&D投入强度": "economy.rd_intensity",
    "新增高企": "enterprises.hnte_new",
    "工业总产值": "economy.industrial_output",
    "税金": "economy.tax_all_levels",
    "上缴税金": "economy.tax_all_levels",
    "税收收入": "economy.tax_all_levels",
    "新引进亿元以上投资项目": "investment.signed_100m",
    "引进亿元以上项目": "investment.signed_100m",
    "签约亿元以上项目": "investment.signed_100m",
}


def ensure_synonyms(sender=None, **kwargs):
    from yuanqu.core.models import SeededDefault
    from yuanqu.figures.catalogue import figures

    from .models import Synonym

    seeded = set(SeededDefault.objects.filter(kind="synonym").values_list("key", flat=True))
    missing = {name: key for name, key in DEFAULT_SYNONYMS.items() if name not in seeded}
    if not missing:
        return
    known = figures()
    for name, key in missing.items():
        if key not in known:
            continue
        Synonym.objects.get_or_create(name=name, defaults={"figure": key})
        SeededDefault.objects.get_or_create(kind="synonym", key=name)
