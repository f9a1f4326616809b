"""A real zone's plan, typed into the import layout, loads whole and every target reports
progress or says why it cannot.

Source: the 2023 targets (“（二）发展目标”) of the annual report of a western provincial-level
industrial park (the project's sample zone report 002, 2022 results and 2023 plan). The
published report masks its figures with ``*``; the values below stand in for them, in the
report's own wording: ranges such as “*-*%增长” are typed as their lower end with 以上, “5-10家”
as 5家以上. Nothing in the project reads the sample itself."""

import io
import json

import pytest
from django.core.management import call_command

from yuanqu.targets.models import Target
from yuanqu.utilities.testing import factories as f

from .test_import import import_file

pytestmark = pytest.mark.django_db

# 年度, 指标, 类型, 目标值, 单位, 口径, 责任单位, 数据项 — as a committee types the plan's lines.
PLAN_2023 = [
    [2023, "进入全省地区生产总值百亿园区行列", "总量", 100, "亿元", "以上", "经济发展局", "economy.gdp"],
    [2023, "工业总产值", "增速", 8, "%", "以上", "经济发展局", None],  # 各项指标按*-*%增长考虑
    [2023, "规上工业总产值", "总量", 520, "亿元", "以上", "经济发展局", None],  # “一核两区”
    [2023, "规上工业增加值", "总量", 110, "亿元", None, "经济发展局", None],
    [2023, "税金", "总量", 12, "亿元", "以上", "财政局", None],  # 实现税金*-*亿元
    [2023, "新增就业岗位", "总量", 800, "个", "以上", "人社局", None],  # 新增就业岗位*00-*000个
    [2023, "新引进亿元以上投资项目", "总量", 6, "个", "以上", "招商局", None],
    [2023, "新增规上工业企业", "总量", 5, "家", None, "经济发展局", None],
    [2023, "新盘活企业", "总量", 5, "家", "以上", "经济发展局", None],  # 新盘活企业5-10家
    [2023, "续建新建扩建改造项目", "总量", 40, "项", None, "项目办", None],  # 重点推进……项目**项
    [2023, "新增固定资产投资", "总量", 60, "亿元", None, "项目办", "economy.fixed_asset_investment"],
    [2023, "固定资产投资", "增速", 12, "%", "以上", "项目办", None],  # 同比增长***%
]


def test_the_2023_plan_of_a_real_zone_loads_whole_and_every_target_stands(tmp_path):
    for name in ("经济发展局", "财政局", "人社局", "招商局", "项目办"):
        f.department(name)
    output = import_file(tmp_path, PLAN_2023, name="2023年目标责任书.xlsx")
    assert f"新增 {len(PLAN_2023)} 行" in output
    targets = {t.name: t for t in Target.objects.all()}
    # matched: by 数据项, by name, or by the synonyms every install starts with
    assert targets["工业总产值"].figure == "economy.industrial_output"
    assert targets["税金"].figure == "economy.tax_all_levels"
    assert targets["新引进亿元以上投资项目"].figure == "investment.signed_100m"
    assert targets["新增规上工业企业"].figure == "enterprises.scale_industry_new"
    assert targets["固定资产投资"].figure == "economy.fixed_asset_investment"
    # the lines no module computes are the departments' to report
    assert {name for name, t in targets.items() if t.reported} == {
        "新增就业岗位",
        "新盘活企业",
        "续建新建扩建改造项目",
    }

    out = io.StringIO()
    call_command("targets", "--year", "2023", "--period", "2023-06", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [row["indicator"] for row in rows] == [row[1] for row in PLAN_2023]
    for row in rows:  # no data entered yet: each says why it has no progress, in Chinese
        assert row["actual"] is not None or row["note"], row
        assert row["actual"] is not None or any("\u4e00" <= ch <= "\u9fff" for ch in row["note"]), row
    by_name = {row["indicator"]: row for row in rows}
    assert by_name["新增就业岗位"]["note"] == "责任单位尚未填报2023年6月完成情况"
    assert by_name["新引进亿元以上投资项目"]["actual"] == 0  # a count: none signed yet is 0, not missing
    assert by_name["新引进亿元以上投资项目"]["light"] == "red"
