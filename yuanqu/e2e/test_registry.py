import pytest

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_user_cannot_open_another_company(page, enterprise_user, owned_enterprise, other_enterprise):
    login_as(page, "ent")
    page.goto(owned_enterprise.get_absolute_url())
    assert page.locator("h1").inner_text().endswith(owned_enterprise.name)
    response = page.goto(other_enterprise.get_absolute_url())
    assert response.status == 404
    assert other_enterprise.name not in page.content()
    page.goto("/enterprises/")
    rows = page.locator("#object-table tbody tr")
    assert rows.count() == 1
    assert owned_enterprise.name in rows.first.inner_text()


def test_staff_searches_the_registry(page, alice, owned_enterprise, other_enterprise):
    login_as(page, "alice")
    page.goto("/enterprises/")
    page.fill("#id_q", "光电")
    page.locator("#id_q").press("Enter")
    page.wait_for_function("document.querySelectorAll('#object-table tbody tr').length === 1")
    assert other_enterprise.name in page.locator("#object-table").inner_text()
    assert owned_enterprise.name not in page.locator("#object-table").inner_text()


def _workbook(path, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "企业名称", "简称", "经营状态"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return str(path)


def test_staff_imports_a_file_with_an_error_then_the_corrected_file(page, alice, owned_enterprise, tmp_path):
    login_as(page, "alice")
    page.goto("/enterprises/")
    page.fill("#id_q", "东区精密")
    page.locator("#id_q").press("Enter")
    page.wait_for_function("document.querySelectorAll('#object-table tbody tr').length === 1")

    page.click("text=Excel导入")
    page.wait_for_url("**/enterprises/import/")
    broken = owned_enterprise.uscc[:17] + ("0" if owned_enterprise.uscc[17] != "0" else "1")
    bad = _workbook(tmp_path / "bad.xlsx", [[broken, "东区精密机械股份有限公司", "东区精密", "在营"]])
    page.set_input_files("input[type=file]", bad)
    page.click("text=上传并预览")
    errors = page.locator("#import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "第2行" in text and "统一社会信用代码" in text and "校验码" in text
    assert "没有写入任何数据" in page.locator(".msg.error").inner_text()

    good = _workbook(tmp_path / "good.xlsx", [[owned_enterprise.uscc, "东区精密机械股份有限公司", "东区精密", "在营"]])
    page.set_input_files("input[type=file]", good)
    page.click("text=上传并预览")
    changed = page.locator("#import-changed")
    changed.wait_for()
    assert "东区精密机械有限公司 → 东区精密机械股份有限公司" in changed.inner_text()
    page.click("text=确认导入")
    page.wait_for_url("**/enterprises/")

    page.goto(owned_enterprise.get_absolute_url())
    history = page.locator("#history").inner_text()
    assert "王丽" in history  # the person, not the username
    assert "东区精密机械有限公司 → 东区精密机械股份有限公司" in history
    assert page.locator("h1").inner_text().endswith("东区精密机械股份有限公司")
