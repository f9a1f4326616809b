"""The report writer on the demo zone: the shipped templates render, every printed number is
in the figure list with its catalogue key and link, and a template is sandboxed."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from yuanqu.documents.reports import ReportError, generate, shipped_template
from yuanqu.targets.demo import demo_month

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def month(django_db_setup, django_db_blocker):
    """One small demo zone for the module, rolled back after it; the tests only read it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", enterprises=60, stdout=io.StringIO())
            yield demo_month(timezone.localdate())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


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
