"""Importing and exporting the target sheet (目标责任书): a plan typed into the layout loads
whole, each 指标 matched to the catalogue by 数据项, name or synonym, or kept as a reported
target; a bad row is named by row, column and reason and nothing is written; an exported
sheet re-imports without a change."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.targets.importers import REPORTED, match_figure
from yuanqu.targets.models import Synonym, Target
from yuanqu.utilities.testing import factories as f

pytestmark = pytest.mark.django_db
HEADER = ["年度", "指标", "类型", "目标值", "单位", "口径", "责任单位", "数据项"]
IMPORT_URL = reverse("targets:target_import")
EXPORT_URL = reverse("targets:target_export")

# The 2024 plan of a zone, as its 目标责任书 states it, typed into the layout (年度 from --year).
PLAN = [
    [None, "GDP", "增速", 9, "%", "以上", "经济发展局", None],
    [None, "规上工业增加值", "增速", 11, "%", None, "经济发展局", None],
    [None, "引进亿元以上项目", "总量", 78, "个", None, "招商局", "investment.signed_100m"],
    [None, "省外到位资金", "总量", 110, "亿元", "不少于", "招商局", None],
    [None, "新增高新技术企业", "总量", 20, "家", None, "科技局", None],
    [None, "新增企业", "总量", 1200, "家", None, "经济发展局", None],
    [None, "民生实事支出", "总量", 30.5, "亿元", "不少于", "财政局", None],
    [None, "秸秆综合利用量", "总量", 5.2, "万吨", "以上", "农业农村局", None],
    [None, "单位GDP能耗增速", "增速", -3.5, "%", "不超过", "经济发展局", None],
    [None, "安全生产事故", "总量", 3, "件", "以内", "应急管理局", None],
    [None, "社会消费品零售总额", "增速", 8, "%", "左右", "经济发展局", None],
    [None, "固定资产投资", "增速", 10, "%", "以上", "经济发展局", None],
    [None, "一般公共预算收入", "总量", 25, "亿元", "以上", "财政局", None],
    [None, "新增规上工业企业", "总量", 15, "家", None, "经济发展局", None],
    [None, "FDI", "总量", 1.5, "亿美元", "以上", "招商局", None],
]
DEPARTMENTS = ["经济发展局", "招商局", "科技局", "财政局", "农业农村局", "应急管理局"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan(db):
    for name in DEPARTMENTS:
        f.department(name)
    # GDP and FDI are among the synonyms every install starts with
    assert Synonym.objects.filter(name="GDP", figure="economy.gdp").exists()
    assert Synonym.objects.filter(name="FDI", figure="economy.foreign_investment_used").exists()


def import_file(tmp_path, rows, *args, header=HEADER, name="目标责任书.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(xlsx(rows, header))
    out = io.StringIO()
    call_command("import", "targets", str(path), *args, stdout=out)
    return out.getvalue()


def refused(tmp_path, rows, *args, header=HEADER) -> str:
    """The command's output for a file it refuses (exit 1), having written nothing."""
    path = tmp_path / "目标责任书.xlsx"
    path.write_bytes(xlsx(rows, header))
    out = io.StringIO()
    changes = ObjectChange.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("import", "targets", str(path), *args, stdout=out)
    assert caught.value.returncode == 1
    assert not Target.objects.exists() and ObjectChange.objects.count() == changes
    return out.getvalue()


def test_plan_sheet_loads_whole_and_every_target_stands(tmp_path, plan):
    output = import_file(tmp_path, PLAN, "--year", "2024")
    assert "导入完成：新增 15 行、修改 0 行、未变 0 行" in output
    targets = {t.name: t for t in Target.objects.select_related("unit", "department")}
    assert len(targets) == 15 and {t.year for t in targets.values()} == {2024}
    assert targets["GDP"].figure == "economy.gdp"  # by the synonym
    assert targets["FDI"].figure == "economy.foreign_investment_used"
    assert targets["规上工业增加值"].figure == "economy.industrial_value_added"  # by name
    assert targets["引进亿元以上项目"].figure == "investment.signed_100m"  # by 数据项
    assert targets["省外到位资金"].figure == "investment.funds_out_of_province"
    assert targets["新增高新技术企业"].figure == "enterprises.hnte_new"
    assert targets["新增企业"].figure == "enterprises.founded"
    assert targets["民生实事支出"].reported and targets["秸秆综合利用量"].reported
    assert targets["安全生产事故"].reported and targets["单位GDP能耗增速"].reported
    gdp = targets["GDP"]
    assert (gdp.kind, gdp.value, gdp.unit.name, gdp.comparator) == ("growth", Decimal(9), "%", "ge")
    assert gdp.department.name == "经济发展局" and gdp.stated() == "增长9%以上"
    assert targets["社会消费品零售总额"].comparator == "approx"
    assert targets["安全生产事故"].comparator == "le" and targets["单位GDP能耗增速"].comparator == "le"
    assert targets["新增企业"].comparator == "eq" and targets["新增企业"].stated() == "1200家"
    assert targets["民生实事支出"].value == Decimal("30.5") and targets["秸秆综合利用量"].unit.name == "万吨"
    # The sheet keeps the file's order.
    assert [t.name for t in Target.objects.order_by("order")] == [row[1] for row in PLAN]

    out = io.StringIO()
    call_command("targets", "--year", "2024", "--period", "2024-09", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [row["indicator"] for row in rows] == [row[1] for row in PLAN]
    for row in rows:  # each with progress, or a note in Chinese saying why not
        assert row["actual"] is not None or row["note"], row
    reported = {row["indicator"]: row for row in rows}["民生实事支出"]
    assert reported["reported"] and "责任单位尚未填报" in reported["note"]


def test_preview_names_the_figure_each_row_matched(client, inspector, plan):
    client.force_login(inspector)
    upload = SimpleUploadedFile("2024年目标责任书.xlsx", xlsx(PLAN))
    response = client.post(IMPORT_URL, {"file": upload, "year": "2024"})
    result = response.context["result"]
    assert result.ok and len(result.new) == 15 and not Target.objects.exists()  # a preview
    page = response.content.decode()
    matches = {name: how for _, name, how in result.matches}
    assert matches["GDP"] == "地区生产总值（economy.gdp），按别名“GDP”匹配"
    assert matches["规上工业增加值"] == "规上工业增加值（economy.industrial_value_added），按名称匹配"
    assert matches["引进亿元以上项目"] == "亿元以上签约项目（investment.signed_100m），按数据项列匹配"
    assert matches["民生实事支出"] == REPORTED == "填报指标（未匹配数据目录）"
    assert "按别名“GDP”匹配" in page and "填报指标（未匹配数据目录）" in page
    confirmed = client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    assert confirmed.status_code == 302 and Target.objects.filter(year=2024).count() == 15
    assert AuditEvent.objects.filter(kind="import", data__model="targets.target").exists()


def test_import_page_is_for_those_who_keep_the_sheet(client, alice, inspector):
    client.force_login(alice)  # 部门人员: views the sheet, does not import it
    assert client.get(IMPORT_URL).status_code == 403
    client.force_login(inspector)
    assert client.get(IMPORT_URL).status_code == 200
    template = client.get(reverse("targets:target_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value.rstrip("*") for c in sheet[1]][:8] == HEADER


@pytest.mark.parametrize(
    "row, message",
    [
        (
            [2024, "新增企业", "总量", "一千二", "家", None, "经济发展局", None],
            "第3行 目标值：“一千二”不是数字",
        ),
        ([2024, "GDP", "增速", 9, "%", "大约", "经济发展局", None], "第3行 口径：“大约”不是可选的口径"),
        ([2024, "新增企业", "总量", 1200, "户", None, "经济发展局", None], "第3行 单位：系统中没有单位“户”"),
        (
            [2024, "新增企业", "总量", 1200, "亿元", None, "经济发展局", None],
            "第3行 单位：单位“亿元”与数据项的单位“家”不是同一量纲",
        ),
        ([2024, "GDP", "增速", 9, "亿元", "以上", "经济发展局", None], "第3行 单位：增速目标的单位应为%"),
        (
            [2024, "民生实事支出", "总量", 30, "亿元", None, "民生办", None],
            "第3行 责任单位：系统中没有名为“民生办”的部门",
        ),
        ([None, "新增企业", "总量", 1200, "家", None, None, None], "第3行 年度：必填，不能为空"),
        (
            [2024, "进出口", "总量", 50, "亿元", None, None, "economy.exports"],
            "第3行 数据项：数据目录中没有数据项“economy.exports”",
        ),
        ([2024, "新增企业", "规模", 1200, "家", None, None, None], "第3行 类型：“规模”不是可选的类型"),
    ],
)
def test_a_bad_row_names_row_column_and_reason_and_nothing_is_written(tmp_path, plan, row, message):
    good = [2024, "新增高新技术企业", "总量", 20, "家", None, "科技局", None]
    output = refused(tmp_path, [good, row])
    assert message in output
    assert "错误 1 处" in output


def test_year_given_twice_must_agree(tmp_path, plan):
    output = refused(tmp_path, [[2023, "新增企业", "总量", 1200, "家", None, None, None]], "--year", "2024")
    assert "第2行 年度：“2023”与导入时指定的年度2024年不符" in output


def test_the_same_target_twice_in_a_file_is_refused(tmp_path, plan):
    row = [2024, "新增企业", "总量", 1200, "家", None, None, None]
    output = refused(tmp_path, [row, row])
    assert "第3行 指标：与第2行重复" in output


def test_dry_run_writes_nothing(tmp_path, plan):
    changes, audits = ObjectChange.objects.count(), AuditEvent.objects.filter(kind="import").count()
    output = import_file(tmp_path, PLAN, "--year", "2024", "--dry-run")
    assert "新增 15 行" in output and "检查通过（试运行，未写入任何数据）" in output
    assert not Target.objects.exists() and ObjectChange.objects.count() == changes
    assert AuditEvent.objects.filter(kind="import").count() == audits


def test_existing_target_is_updated_not_duplicated(tmp_path, plan):
    import_file(tmp_path, PLAN, "--year", "2024")
    first = Target.objects.get(year=2024, name="新增企业")
    output = import_file(
        tmp_path,
        [[2024, "新增企业", "总量", 1300, "家", "以上", "经济发展局", None]],
        name="调整.xlsx",
    )
    assert "修改 1 行" in output
    target = Target.objects.get(year=2024, name="新增企业")
    assert target.pk == first.pk and target.value == 1300 and target.comparator == "ge"
    assert Target.objects.count() == 15
    # Another year's target of the same name is a target of its own.
    import_file(tmp_path, [[2025, "新增企业", "总量", 1400, "家", None, None, None]], name="2025.xlsx")
    assert Target.objects.filter(name="新增企业").count() == 2


def test_export_then_import_changes_nothing(tmp_path, plan, client, inspector):
    import_file(tmp_path, PLAN, "--year", "2024")
    Target.objects.filter(name="新增企业").update(department=None)  # an empty cell round-trips too
    exported = tmp_path / "导出.xlsx"
    call_command("export", "targets", str(exported), "--year", "2024", stdout=io.StringIO())
    sheet = openpyxl.load_workbook(exported).worksheets[0]
    assert [c.value for c in sheet[1]][:8] == HEADER
    assert [c.value for c in sheet[2]][:8] == [
        2024,
        "GDP",
        "增速",
        9,
        "%",
        "以上",
        "经济发展局",
        "economy.gdp",
    ]
    changes = ObjectChange.objects.count()
    output = io.StringIO()
    call_command("import", "targets", str(exported), stdout=output)
    assert "新增 0 行、修改 0 行、未变 15 行" in output.getvalue()
    assert ObjectChange.objects.count() == changes and Target.objects.count() == 15

    client.force_login(inspector)  # the page's export button, uploaded back
    response = client.get(EXPORT_URL, {"year": "2024"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(kind="export", data__model="targets.target").exists()
    content = b"".join(response.streaming_content) if response.streaming else response.content
    preview = client.post(IMPORT_URL, {"file": SimpleUploadedFile("导出.xlsx", content)})
    result = preview.context["result"]
    assert result.ok and len(result.unchanged) == 15 and result.to_write == 0


def test_export_is_for_those_with_the_export_grant(client, alice, plan, tmp_path):
    import_file(tmp_path, PLAN, "--year", "2024")
    client.force_login(alice)  # 部门人员 may export the sheet (view + export of all targets)
    assert client.get(EXPORT_URL).status_code == 200
    assert client.get(EXPORT_URL, {"year": "二〇二四"}).status_code == 400


def test_year_option_only_where_declared(tmp_path, plan):
    path = tmp_path / "线索.xlsx"
    path.write_bytes(xlsx([["x"]], header=["项目名称"]))
    with pytest.raises(CommandError, match="导入类型“investment-leads”不接受 --year"):
        call_command("import", "investment-leads", str(path), "--year", "2024", stdout=io.StringIO())
    with pytest.raises(CommandError, match="年份“24年”格式不对"):
        import_file(tmp_path, PLAN, "--year", "24年")


def test_match_by_key_name_synonym_or_none(plan):
    assert match_figure("economy.gdp").how == "数据项代码"
    assert match_figure("地区生产总值").key == "economy.gdp"
    assert match_figure("gdp").how == "别名“GDP”"
    assert match_figure("人才公寓建设").key == ""
