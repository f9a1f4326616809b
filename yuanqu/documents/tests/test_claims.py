"""Claims extraction: a table of sentences written for the tests, each with the claims a
reader takes from it (subject, kind, value, unit, growth, comparator)."""

import pytest

from yuanqu.documents.claims import extract

pytestmark = [pytest.mark.django_db, pytest.mark.engine_free]

KEYS = {
    "subject",
    "figure_key",
    "kind",
    "value",
    "unit",
    "growth",
    "comparator",
    "period",
    "paragraph",
    "text",
}

# sentence → [(subject, kind, value, unit, growth, comparator)]
TABLE = [
    ("一般公共预算收入12.3亿元、增长10.1%。", [("一般公共预算收入", "level", 12.3, "亿元", 10.1, "eq")]),
    ("引进亿元以上项目78个。", [("亿元以上项目", "level", 78, "个", None, "eq")]),
    ("GDP增长9%以上。", [("GDP", "growth", 9, "%", 9, "ge")]),
    ("地区生产总值实现120.5亿元，同比增长8.2%。", [("地区生产总值", "level", 120.5, "亿元", 8.2, "eq")]),
    ("规上工业增加值同比增长10.1%。", [("规上工业增加值", "growth", 10.1, "%", 10.1, "eq")]),
    ("全年完成固定资产投资45亿元，增长12%。", [("固定资产投资", "level", 45, "亿元", 12, "eq")]),
    ("新增企业1200家。", [("新增企业", "level", 1200, "家", None, "eq")]),
    ("新增15家规上工业企业。", [("新增规上工业企业", "level", 15, "家", None, "eq")]),
    ("社会消费品零售总额增长8%左右。", [("社会消费品零售总额", "growth", 8, "%", 8, "approx")]),
    ("安全生产事故控制在3件以内。", [("安全生产事故", "level", 3, "件", None, "le")]),
    ("单位GDP能耗下降3.5%。", [("单位GDP能耗", "growth", -3.5, "%", -3.5, "eq")]),
    ("外贸进出口总额同比减少12.6%。", [("外贸进出口总额", "growth", -12.6, "%", -12.6, "eq")]),
    ("实际使用外资1.5亿美元以上。", [("实际使用外资", "level", 1.5, "亿美元", None, "ge")]),
    ("省外到位资金不少于110亿元。", [("省外到位资金", "level", 110, "亿元", None, "ge")]),
    ("完成土地供应1200亩。", [("土地供应", "level", 1200, "亩", None, "eq")]),
    ("新增建设用地35公顷。", [("新增建设用地", "level", 35, "公顷", None, "eq")]),
    ("建成标准厂房20万平方米。", [("建成标准厂房", "level", 20, "万平方米", None, "eq")]),
    ("人才公寓面积8000平方米。", [("人才公寓面积", "level", 8000, "平方米", None, "eq")]),
    ("新增就业2,300人。", [("新增就业", "level", 2300, "人", None, "eq")]),
    ("帮扶低收入农户126户。", [("帮扶低收入农户", "level", 126, "户", None, "eq")]),
    ("秸秆综合利用量5.2万吨。", [("秸秆综合利用量", "level", 5.2, "万吨", None, "eq")]),
    ("处置固体废物800吨。", [("处置固体废物", "level", 800, "吨", None, "eq")]),
    ("新增专利授权350件。", [("新增专利授权", "level", 350, "件", None, "eq")]),
    ("实施重点项目56项。", [("实施重点项目", "level", 56, "项", None, "eq")]),
    ("出口额3200万美元。", [("出口额", "level", 3200, "万美元", None, "eq")]),
    ("单笔跨境结算不超过5000美元。", [("单笔跨境结算", "level", 5000, "美元", None, "le")]),
    ("企业平均电费0.65元。", [("企业平均电费", "level", 0.65, "元", None, "eq")]),
    ("税收收入８．６亿元，同比增长１２％。", [("税收收入", "level", 8.6, "亿元", 12, "eq")]),
    (
        "研发投入强度达到2.5%，提高0.3个百分点。",
        [
            ("研发投入强度", "level", 2.5, "%", None, "eq"),
            ("研发投入强度", "level", 0.3, "个百分点", None, "eq"),
        ],
    ),
    ("工业增加值增速回落0.6个百分点。", [("工业增加值", "level", -0.6, "个百分点", None, "eq")]),
    ("工业总产值由10亿元增长到12.3亿元，增长25%。", [("工业总产值", "level", 12.3, "亿元", 25, "eq")]),
    ("工业总产值12.3亿元，去年同期10亿元，增长23%。", [("工业总产值", "level", 12.3, "亿元", 23, "eq")]),
    ("签约项目20余个。", [("签约项目", "level", 20, "个", None, "ge")]),
    ("新培育高新技术企业近50家。", [("新培育高新技术企业", "level", 50, "家", None, "approx")]),
    ("村集体经济收入均超过10万元。", [("村集体经济收入", "level", 10, "万元", None, "ge")]),
    ("民生支出占比不低于70%。", [("民生支出占比", "level", 70, "%", None, "ge")]),
    ("上缴税金3.2亿元，比上年增加1.2亿元。", [("上缴税金", "level", 3.2, "亿元", None, "eq")]),
    ("引进10亿元以上项目5个。", [("10亿元以上项目", "level", 5, "个", None, "eq")]),
    ("上半年，实现营业收入80亿元，同比下降2.1%。", [("营业收入", "level", 80, "亿元", -2.1, "eq")]),
    ("力争全年新增市场主体不少于1500户。", [("新增市场主体", "level", 1500, "户", None, "ge")]),
    (
        "居民人均可支配收入增长7%左右，城镇登记失业率控制在3.5%以内。",
        [
            ("居民人均可支配收入", "growth", 7, "%", 7, "approx"),
            ("城镇登记失业率", "level", 3.5, "%", None, "le"),
        ],
    ),
    (
        "城镇登记失业率下降到3.5%，研发经费提高至2.1亿元。",
        [
            ("城镇登记失业率", "level", 3.5, "%", None, "eq"),
            ("研发经费", "level", 2.1, "亿元", None, "eq"),
        ],
    ),  # fmt: skip
    ("规上工业增加值增长8%—9%。", [("规上工业增加值", "growth", 8, "%", 8, "ge")]),
    ("新盘活企业5-10家。", [("新盘活企业", "level", 5, "家", None, "ge")]),
    (
        "今年以来，园区规上工业总产值１２０亿元，同比增长９．５％，高于全市２．１个百分点。",
        [
            ("规上工业总产值", "level", 120, "亿元", 9.5, "eq"),
            ("规上工业总产值", "level", 2.1, "个百分点", None, "eq"),
        ],
    ),  # fmt: skip
    (
        "确保新增高企不少于20家、科技型中小企业100家以上。",
        [
            ("新增高企", "level", 20, "家", None, "ge"),
            ("科技型中小企业", "level", 100, "家", None, "ge"),
        ],
    ),  # fmt: skip
    ("第3名的成绩，排名全省第二。", []),
    ("2026年1—10月份数据。", []),
    ("园区**铝业等3家企业入规。", [("企业", "level", 3, "家", None, "eq")]),
]


def stated(sentence):
    return [
        (c["subject"], c["kind"], c["value"], c["unit"], c["growth"], c["comparator"])
        for c in extract(sentence)
    ]


@pytest.mark.parametrize(("sentence", "expected"), TABLE, ids=[s for s, _ in TABLE])
def test_claims_of_a_sentence(sentence, expected):
    assert stated(sentence) == expected


def test_the_table_covers_each_unit_and_comparator():
    units = {claim[3] for _, claims in TABLE for claim in claims}
    wanted = "亿元 万元 元 亿美元 万美元 美元 亩 公顷 平方米 万平方米 家 个 件 项 人 户 吨 万吨 % 个百分点"
    assert set(wanted.split()) <= units
    assert {claim[5] for _, claims in TABLE for claim in claims} == {"ge", "approx", "le", "eq"}
    assert len(TABLE) >= 40


def test_a_claim_has_the_issues_keys_with_numbers_as_numbers():
    (claim,) = extract("概况\n一般公共预算收入12.3亿元、增长10.1%。")
    assert set(claim) == KEYS
    assert claim == {
        "subject": "一般公共预算收入",
        "figure_key": "economy.general_budget_revenue",
        "kind": "level",
        "value": 12.3,
        "unit": "亿元",
        "growth": 10.1,
        "comparator": "eq",
        "period": None,
        "paragraph": 2,
        "text": "一般公共预算收入12.3亿元、增长10.1%",
    }
    assert isinstance(extract("引进亿元以上项目78个")[0]["value"], int)


def test_figure_keys_by_name_synonym_and_verb():
    keys = {c["subject"]: c["figure_key"] for c in extract(
        "GDP增长9%以上，引进亿元以上项目78个，规上工业增加值增长8%，人才公寓建设3个。"
    )}  # fmt: skip
    assert keys == {
        "GDP": "economy.gdp",  # the synonym
        "亿元以上项目": "investment.signed_100m",  # “引进亿元以上项目”, the synonym
        "规上工业增加值": "economy.industrial_value_added",  # 规上 read as 规模以上
        "人才公寓建设": None,
    }


def test_period_from_the_option_or_from_the_text():
    text = "2026年工作总结\n1—10月，地区生产总值120亿元。前三季度新增企业50家。\n全年引进亿元以上项目78个。\n新增就业300人。"
    periods = [c["period"] for c in extract(text)]
    assert periods == ["2026-10", "2026-09", "2026-12", None]
    assert {c["period"] for c in extract(text, period="2026-06")} == {"2026-06"}
    assert extract("上半年，新增企业50家。")[0]["period"] is None  # no year known
    assert extract("2025年上半年，新增企业50家。")[0]["period"] == "2025-06"
    assert extract("截至10月底，新增企业50家。", period=None)[0]["period"] is None


def test_a_zone_named_in_the_subject_stays_in_it_and_the_figure_is_found(east):
    (claim,) = extract("东区规上工业总产值45.6亿元。")
    assert claim["subject"] == "东区规上工业总产值"
    assert claim["figure_key"] == "economy.industrial_output"
