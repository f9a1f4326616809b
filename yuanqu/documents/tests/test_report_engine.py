"""The report writer on the demo zone: the shipped templates render, every printed number is
in the figure list with its catalogue key and link, and a template is sandboxed."""

import contextlib
import io
import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from yuanqu.documents.reports import ReportError, generate, shipped_template
from yuanqu.targets.demo import demo_month
from yuanqu.utilities.testing.database import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def month(django_db_setup, django_db_blocker):
    """One small demo zone for the module, rolled back after it; the tests only read it."""
    with rolled_back(django_db_blocker):
        call_command("seed_demo", enterprises=60, stdout=io.StringIO())
        yield demo_month(timezone.localdate())


def test_monthly_report_prints_catalogue_figures(month):
    report = generate("monthly", period=f"{month:%Y-%m}")
    assert report.kind == "monthly" and report.params == {"period": f"{month:%Y-%m}"}
    assert report.title.endswith("经济运行分析")
    headings = [(b.level, b.number, b.text) for b in report.blocks if b.kind == "heading"]
    assert headings[0] == (1, "一、", "总体运行情况")
    assert any(h[:2] == (2, "（一）") for h in headings)
    assert report.figures and all(f["period"] == f"{month:%Y-%m}" for f in report.figures)
    output = next(f for f in report.figures if f["key"] == "economy.industrial_output")
    assert output["unit"] == "亿元" and output["text"].endswith("亿元") and output["link"]
    text = "".join(b.text for b in report.blocks)
    assert output["text"] in text


def test_the_shipped_templates_are_files_a_page_can_offer():
    for kind in ("weekly", "monthly", "annual", "plan"):
        assert shipped_template(kind).strip()
    with pytest.raises(ReportError, match="报告类型“quarterly”不存在"):
        shipped_template("quarterly")


@pytest.mark.parametrize(
    "text, message",
    [
        ("# 标题\n\n{{ nosuch }}", "模板第3行：未定义的名称“nosuch”"),
        ("# 标题\n{{ figure('economy.nosuch') }}", "模板第2行：数据项“economy.nosuch”不在数据目录中"),
        ("{% for %}", "模板第1行：模板语法错误"),
        ("{% include 'x.j2' %}", "模板第1行：模板不能引用其他文件"),
        ("{{ ''.__class__.__mro__ }}", "模板第1行：模板不允许访问“__class__”"),
        ("\n{{ figure.__globals__ }}", "模板第2行：模板不允许访问“__globals__”"),
        ("{{ chart('图', ['a'], [1, 2]) }}", "图表“图”的系列“图”有2个数，标签有1个"),
    ],
)
def test_a_template_error_names_its_line_in_chinese(month, text, message):
    with pytest.raises(ReportError) as error:
        generate("monthly", period=f"{month:%Y-%m}", template_text=text)
    assert message in str(error.value)


def test_a_month_without_data_or_a_bad_month_is_refused(month):
    with pytest.raises(ReportError, match="2019年1月没有经济运行数据"):
        generate("monthly", period="2019-01")
    with pytest.raises(ReportError, match="月份“2026-13”格式不对"):
        generate("monthly", period="2026-13")
    with pytest.raises(ReportError, match="需要指定月份"):
        generate("monthly")


def test_model_instances_are_closed_to_a_template(alice):
    from jinja2.exceptions import SecurityError

    from yuanqu.documents.reports.engine import environment

    env = environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ user.password }}").render(user=alice)
    with pytest.raises(SecurityError):
        env.from_string("{{ user.department.name }}").render(user=alice)


def run_report(*args) -> tuple[int, str, str]:
    """``yuanqu report …`` as the console runs it: (exit status, stdout, stderr)."""
    from yuanqu.cli import main

    out, err = io.StringIO(), io.StringIO()
    # A console command closes the database connections when it ends: in a test that would
    # close the test's own connection (on PostgreSQL, inside the module's transaction).
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch("django.core.management.base.connections.close_all"),
    ):
        try:
            status = main(["report", *args])
        except SystemExit as exit:
            status = exit.code
    return status or 0, out.getvalue(), err.getvalue()


def test_cli_writes_the_figure_list_of_the_shipped_monthly_report(month, tmp_path):
    figures = tmp_path / "m.json"
    status, out, err = run_report("monthly", "--period", f"{month:%Y-%m}", "--figures", str(figures))
    assert status == 0, err
    assert "经济运行分析" in out
    listed = json.loads(figures.read_text(encoding="utf-8"))
    assert len(listed) > 20
    assert all(set(e) == {"key", "name", "period", "scope", "value", "unit", "text"} for e in listed)
    output = next(e for e in listed if e["key"] == "economy.industrial_output")
    assert output["period"] == f"{month:%Y-%m}" and output["scope"] == "园区" and output["unit"] == "亿元"
    assert output["text"] == f"{output['value']:g}亿元"
    growth = next(e for e in listed if e["name"] == "规上工业总产值增速")
    assert growth["unit"] == "%" and growth["text"] == f"增长{growth['value']:g}%"


TEMPLATE = """# {{ park }}{{ period_label }}快报
## 工业
规上工业总产值{{ figure("economy.industrial_output") }}，{{ growth("economy.industrial_output") }}。
{{ table(economy.chains, [["name", "产业链"], ["ytd", "累计", economy.primary.unit]], "分产业链") }}
{{ chart("分产业链", economy.chains | map(attribute="name") | list, economy.chains | map(attribute="ytd") | list, "亿元") }}
"""


def test_cli_takes_an_edited_template_and_writes_word_html_and_figures(month, tmp_path):
    template = tmp_path / "quick.j2"
    template.write_text(TEMPLATE, encoding="utf-8")
    docx, html, figures = tmp_path / "q.docx", tmp_path / "q.html", tmp_path / "q.json"
    status, out, err = run_report(
        "monthly", "--period", f"{month:%Y-%m}", "--template", str(template),
        "--out", str(docx), "--html", str(html), "--figures", str(figures),
    )  # fmt: skip
    assert status == 0, err
    assert out.startswith(f"已生成《示范高新技术产业开发区{month.year}年{month.month}月快报》：2个数据")
    assert docx.read_bytes()[:2] == b"PK"
    listed = json.loads(figures.read_text(encoding="utf-8"))
    assert [e["key"] for e in listed] == ["economy.industrial_output", "economy.industrial_output"]
    page = html.read_text(encoding="utf-8")
    assert page.count('class="figure"') == 2
    assert '<a class="figure" data-figure="0" href="/indicators/' in page and listed[0]["text"] in page
    assert "<th>累计（亿元）</th>" in page and 'src="data:image/png;base64,' in page
    assert '<h2 class="report-heading level-1">一、工业</h2>' in page


@pytest.mark.parametrize(
    "args, reason",
    [
        (["monthly", "--period", "2019-01"], "2019年1月没有经济运行数据"),
        (["monthly", "--period", "2026-13"], "月份“2026-13”格式不对"),
        (["weekly", "--date", "2026-10-32"], "日期“2026-10-32”格式不对"),
        (["annual", "--year", "2019"], "2019年没有经济运行数据"),
        (["plan", "--year", "2031"], "2031年的目标责任书尚未录入"),
        (["annual"], "年度工作总结需要指定年份"),
    ],
)
def test_cli_refuses_with_one_chinese_line(month, args, reason):
    status, out, err = run_report(*args)
    assert status == 1 and reason in err and len(err.strip().splitlines()) == 1


def test_weekly_report_lists_what_is_behind(month):
    day = month.replace(day=28)
    report = generate("weekly", date=day.isoformat())
    headings = [b.number + b.text for b in report.blocks if b.kind == "heading"]
    assert headings == [
        "一、重点项目推进情况",
        "二、企业诉求办理情况",
        "三、督查督办任务落实情况",
        "四、部门考核排名",
    ]
    tables = {b.table["title"]: b.table for b in report.blocks if b.kind == "table"}
    from yuanqu.demands.choices import Light
    from yuanqu.demands.models import Demand
    from yuanqu.demands.services import light_q

    overdue = Demand.objects.filter(light_q(Light.RED, today=day)).count()
    if overdue:
        assert len(tables["逾期诉求"]["rows"]) == overdue
        assert tables["逾期诉求"]["header"][-1] == "逾期（天）"
    assert "进度落后的重点项目" in tables


def test_plan_report_prints_next_years_targets_as_entered(month):
    from yuanqu.targets.models import Target

    report = generate("plan", year=month.year)
    table = next(b.table for b in report.blocks if b.kind == "table")
    assert len(table["rows"]) == Target.objects.filter(year=month.year).count()
    text = "\n".join(b.text for b in report.blocks)
    gdp = Target.objects.get(year=month.year, name="地区生产总值")
    assert f"地区生产总值增长{gdp.value.normalize():f}%以上" in text
    assert "综合能耗增长增长" not in text and "综合能耗增长3%以内" in text


def test_a_users_report_counts_only_the_records_that_user_may_view(month):
    from yuanqu.users.models import User

    def output(report):
        """The printed 规上工业总产值 in 万元 (a small 片区's is printed in 万元, the park's in 亿元)."""
        entry = next(f for f in report.figures if f["key"] == "economy.industrial_output")
        return {"value": entry["value"] * (10000 if entry["unit"] == "亿元" else 1)}

    park = generate("monthly", period=f"{month:%Y-%m}")
    leader = generate("monthly", period=f"{month:%Y-%m}", user=User.objects.get(username="leader"))
    grid_user = User.objects.get(username="grid")
    grid = generate("monthly", period=f"{month:%Y-%m}", user=grid_user)
    assert output(leader)["value"] == output(park)["value"]
    assert 0 < output(grid)["value"] < output(park)["value"]
    top = next(b.table for b in grid.blocks if b.kind == "table" and b.table["header"][0] == "名次")
    from yuanqu.enterprises.models import Enterprise

    own = set(
        Enterprise.objects.filter(zone_id__in=grid_user.zone.subtree_ids()).values_list("name", flat=True)
    )
    assert {"".join(run.text for run in row[1]) for row in top["rows"]} <= own


@pytest.mark.parametrize("kind", ["monthly", "annual"])
def test_a_generated_report_fed_to_the_draft_check_has_no_mismatch(month, kind):
    """What the writer prints from the catalogue, the check reads back and finds in the
    records: no figure contradicted, no figure missing, nothing inconsistent."""
    from yuanqu.documents.draftcheck import check

    params = {"period": f"{month:%Y-%m}"} if kind == "monthly" else {"year": month.year - 1}
    report = generate(kind, **params)
    text = "\n".join(b.text for b in report.blocks if b.kind in ("title", "heading", "paragraph"))
    # the annual report names its years itself (this year's figures, next year's targets)
    result = check(text, period=month if kind == "monthly" else None)
    kinds = [f["kind"] for f in result["findings"]]
    assert "mismatch" not in kinds and "inconsistent" not in kinds, [
        (f["kind"], f["text"], f["message"])
        for f in result["findings"]
        if f["kind"] in ("mismatch", "inconsistent")
    ]
    assert result["claims"], "the check understood none of the report's figures"
    assert any(c["figure_key"] for c in result["claims"])
