"""A demand end to end in the browser: an enterprise submits it on the portal with an
attachment, the dispatcher assigns it, the department accepts and answers, it is closed, the
enterprise rates it 满意 on the call-back, and the demand page shows every step."""

import pytest

from yuanqu.demands.choices import CategoryGroup
from yuanqu.demands.models import Demand, DemandCategory

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username):
    page.context.clear_cookies()
    login_as(page, username)


STEP_PATHS = {"交办": "assign", "签收": "accept", "答复": "answer", "办结": "close", "回访": "follow-up"}


def take_step(page, url, label, fill=None):
    """Click the step's button on the demand page, fill its form, confirm, back on the page."""
    page.goto(url)
    page.get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(f"**/{STEP_PATHS[label]}/")
    if fill:
        fill()
    page.get_by_role("button", name=f"确认{label}").click()
    page.wait_for_url(url)


def test_a_demand_from_portal_to_call_back(
    page, tmp_path, settings, enterprise_user, alice, charlie, owned_enterprise
):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = tmp_path / "用电申请.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    # Seeded by a migration, but an earlier browser test's flush empties the table.
    DemandCategory.objects.get_or_create(
        name="用电", defaults={"group": CategoryGroup.FACTORS, "time_limit_workdays": 5}
    )

    login_as(page, "ent")
    page.goto("/demands/add/")
    page.select_option("#id_category", label="要素保障-用电")
    page.fill("#id_title", "二期厂房用电增容")
    page.fill("#id_description", "二期厂房投产，需要增容至1250千伏安。")
    page.set_input_files("#id_attachments", str(letter))
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/demands/*/")
    url = page.url
    demand = Demand.objects.get(title="二期厂房用电增容")
    assert demand.channel == "portal" and demand.enterprise == owned_enterprise
    assert "用电申请.pdf" in page.locator("#attachments").inner_text()

    switch_to(page, "alice")  # the dispatcher of 经济发展局, which holds portal submissions
    take_step(page, url, "交办", lambda: page.select_option("#id_department", label="招商局"))
    switch_to(page, "charlie")  # 招商局, now responsible
    take_step(page, url, "签收")
    take_step(page, url, "答复", lambda: page.fill("#id_text", "已协调供电公司，下周完成增容。"))
    take_step(page, url, "办结")

    switch_to(page, "ent")
    take_step(page, url, "回访", lambda: page.get_by_label("满意", exact=True).check())

    summary = page.locator("#summary").inner_text()
    assert "满意" in summary and "已协调供电公司，下周完成增容。" in summary
    events = page.locator("#events").inner_text()
    for step in (
        "受理 · 企业填报员",
        "交办 · 王丽 · 受理 → 交办",
        "签收 · 张超 · 交办 → 签收",
        "答复 · 张超 · 签收 → 答复",
        "办结 · 张超 · 答复 → 办结",
        "回访 · 企业填报员 · 办结 → 回访",
    ):
        assert step in events, step
    demand.refresh_from_db()
    assert demand.status == "followed_up" and demand.satisfaction == "satisfied"
    with page.expect_download() as download:
        page.get_by_role("link", name="用电申请.pdf").click()
    assert download.value.suggested_filename == "用电申请.pdf"
