"""`yuanqu import enterprises FILE` and `yuanqu export enterprises FILE` on the console."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.tests.test_import import row, wrong_check_char, xlsx
from yuanqu.utilities.testing import factories as f

YUANQU = Path(sys.executable).with_name("yuanqu")


def write(tmp_path, rows, name="企业.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def fails(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out)
    assert caught.value.returncode == 1
    return out.getvalue(), str(caught.value)


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing(tmp_path, econ_dept, east, owned_enterprise):
    path = write(
        tmp_path,
        [row(f.uscc(), "新建的企业有限公司", 片区="东区"), row(owned_enterprise.uscc, "改名后的企业")],
    )
    enterprises, changes = Enterprise.objects.count(), ObjectChange.objects.count()
    out = run("import", "enterprises", path, "--dry-run")
    assert "新增 1 行、修改 1 行、未变 0 行" in out
    assert "试运行，未写入任何数据" in out
    assert Enterprise.objects.count() == enterprises
    assert ObjectChange.objects.count() == changes
    assert not AuditEvent.objects.filter(kind="import").exists()


@pytest.mark.django_db
def test_import_writes_rows_as_the_command_line(tmp_path, econ_dept, east, owned_enterprise):
    code = f.uscc()
    path = write(
        tmp_path, [row(code, "新建的企业有限公司", 片区="东区"), row(owned_enterprise.uscc, "改名后的企业")]
    )
    out = run("import", "enterprises", path)
    assert "导入完成：新增 1 行、修改 1 行、未变 0 行" in out
    created = Enterprise.objects.get(uscc=code)
    assert created.department is None  # no 责任部门 column value and no --user: none
    owned_enterprise.refresh_from_db()
    assert owned_enterprise.name == "改名后的企业"
    assert owned_enterprise.department == econ_dept
    cli_changes = ObjectChange.objects.filter(source="cli")
    assert sorted(c.action for c in cli_changes) == ["create", "update"]
    assert {c.user_name for c in cli_changes} == {"命令行"}
    event = AuditEvent.objects.get(kind="import")
    assert event.source == "cli" and event.user_name == "命令行"
    assert event.data["new"] == 1 and event.data["changed"] == 1


@pytest.mark.django_db
def test_invalid_file_exits_1_listing_every_error(tmp_path, econ_dept, east):
    bad_code, expected, actual = wrong_check_char(f.uscc())
    path = write(
        tmp_path, [row(f.uscc(), "好的企业有限公司"), row(bad_code, "坏的企业有限公司", 片区="北区")]
    )
    enterprises, changes = Enterprise.objects.count(), ObjectChange.objects.count()
    out, message = fails("import", "enterprises", path)
    assert f"第3行 统一社会信用代码：第18位校验码应为 {expected}，实际为 {actual}" in out
    assert "第3行 片区：未找到“北区”，请填写系统中已有的片区名称" in out
    assert "错误 2 处" in out
    assert "没有写入任何数据" in message
    assert Enterprise.objects.count() == enterprises
    assert ObjectChange.objects.count() == changes
    assert AuditEvent.objects.get(kind="import_rejected").source == "cli"


@pytest.mark.django_db
def test_refused_file_exits_1(tmp_path, econ_dept):
    path = tmp_path / "企业.xlsx"
    path.write_text("统一社会信用代码,企业名称\n")
    out, _ = fails("import", "enterprises", str(path))
    assert "文件不是 Excel 工作簿（.xlsx）" in out


@pytest.mark.django_db
def test_user_option_applies_that_users_grants(tmp_path, charlie, invest_dept, owned_enterprise, east):
    code = f.uscc()
    path = write(tmp_path, [row(owned_enterprise.uscc, "被改名的企业"), row(code, "招商局的新企业有限公司")])
    out, _ = fails("import", "enterprises", path, "--user", "charlie")
    assert "第2行 统一社会信用代码：企业“东区精密机械有限公司”不在您可导入的范围内（例如不属于本部门）" in out
    assert not Enterprise.objects.filter(uscc=code).exists()

    path = write(tmp_path, [row(code, "招商局的新企业有限公司")], name="只有本部门.xlsx")
    run("import", "enterprises", path, "--user", "charlie")
    created = Enterprise.objects.get(uscc=code)
    assert created.department == invest_dept
    assert (
        ObjectChange.objects.get(content_type__model="enterprise", object_id=str(created.pk)).user_name
        == "charlie"
    )


@pytest.mark.django_db
def test_user_without_import_grant_is_refused(tmp_path, grid_worker):
    path = write(tmp_path, [row(f.uscc(), "甲有限公司")])
    _, message = fails("import", "enterprises", path, "--user", "grid")
    assert message == "用户“grid”没有导入企业的权限"
    _, message = fails("import", "enterprises", path, "--user", "nobody")
    assert message == "用户“nobody”不存在"
    _, message = fails("import", "nothing", path)
    assert "未知的导入类型“nothing”，可用：" in message
    assert "enterprises" in message.split("可用：")[1].split("、")


@pytest.mark.django_db
def test_export_writes_the_list_columns(tmp_path, owned_enterprise, other_enterprise):
    path = tmp_path / "全部企业.xlsx"
    out = run("export", "enterprises", str(path))
    assert "已导出企业 2 行" in out
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["企业名称", "简称", "统一社会信用代码"]
    assert "责任部门" in header
    names = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"东区精密机械有限公司", "西区光电科技有限公司"}
    event = AuditEvent.objects.get(kind="export")
    assert event.source == "cli" and event.data["rows"] == 2


@pytest.mark.django_db
def test_export_with_user_is_restricted_to_the_grant(
    tmp_path, grid_worker, owned_enterprise, other_enterprise
):
    path = tmp_path / "out.xlsx"
    _, message = fails("export", "enterprises", str(path), "--user", "grid")
    assert message == "用户“grid”没有导出企业的权限"


def _cli_database(tmp_path, env):
    """A database with the schema for the console script to run on. On SQLite, a copy of the
    test database's (empty, migrated) schema, made in milliseconds; elsewhere the script
    migrates a fresh SQLite file itself."""
    var = tmp_path / "var"
    var.mkdir()
    env.pop("DATABASE_URL", None)
    env.update(YUANQU_DEBUG="true", YUANQU_VAR_DIR=str(var))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(var / "yuanqu.sqlite3")
        connection.connection.backup(target)
        target.close()
    else:
        migrated = subprocess.run([str(YUANQU), "migrate", "-v0"], env=env, capture_output=True, timeout=120)
        assert migrated.returncode == 0, migrated.stderr


@pytest.mark.django_db
@pytest.mark.engine_free
def test_console_script_exit_codes(tmp_path):
    """The installed `yuanqu` script: 0 for a valid file, 1 with the Chinese reason for an
    invalid one (two runs of the real script); what the runs write is checked in-process."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    _cli_database(tmp_path, env)

    def yuanqu(*args):
        return subprocess.run([str(YUANQU), *args], env=env, capture_output=True, text=True, timeout=120)

    good = tmp_path / "好.xlsx"
    good.write_bytes(xlsx([row(f.uscc(900001), "命令行导入有限公司")]))
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(xlsx([row("91610100000000019", "位数不够有限公司")]))

    checked = yuanqu("import", "enterprises", str(good), "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "新增 1 行、修改 0 行、未变 0 行" in checked.stdout
    refused = yuanqu("import", "enterprises", str(bad))
    assert refused.returncode == 1
    assert "第2行 统一社会信用代码：统一社会信用代码应为18位，实际为17位" in refused.stdout

    # The same steps in-process: the dry run writes nothing, the refused file nothing, the
    # real run writes the row once.
    assert "新增 1 行" in run("import", "enterprises", str(good), "--dry-run")
    with pytest.raises(CommandError):
        run("import", "enterprises", str(bad))
    assert not Enterprise.objects.exists()
    run("import", "enterprises", str(good))
    exported = tmp_path / "导出.xlsx"
    run("export", "enterprises", str(exported))
    names = [r[0] for r in load_workbook(exported).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert names == ["命令行导入有限公司"]
