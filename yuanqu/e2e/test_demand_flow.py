"""A demand end to end in the browser. An enterprise submits it on the portal with an
attachment, the dispatcher assigns it, the department accepts and answers (each step a
button on the record revealing its small form, posted by HTMX in place), the enterprise
confirms 满意 and the demand is 办结, the page showing every step. Then the two other ways
an answer ends: the enterprise sends it back (重新办理), and the holder calls back an
enterprise without an account (回访)."""

import pytest

from yuanqu.demands import services
from yuanqu.demands.choices import CategoryGroup
from yuanqu.demands.models import Demand, DemandCategory

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page, username):
    page.context.clear_cookies()
    login_as(page, username)


def power():
    # Seeded by a migration, but an earlier browser test's flush empties the table.
    category, _ = DemandCategory.objects.get_or_create(
        name="用电", defaults={"group": CategoryGroup.FACTORS, "time_limit_workdays": 5}
    )
    return category


def take_step(page, action, label, fill=None):
    """Click the step's button on the record, fill its form in place, confirm: the record
    block is replaced (no page load) and the step's button is gone."""
    url = page.url
    if page.locator(f"#step-{action}[open]").count() == 0:
        page.locator(f"#step-{action} > summary").click()
    form = page.locator(f"#step-{action} form")
    form.wait_for(state="visible")
    if fill:
        fill(form)
    page.get_by_role("button", name=f"确认{label}").click()
    page.locator("#record .msg.success", has_text=f"已{label}。").wait_for()
    assert page.url == url  # swapped in place
    assert page.locator(f"#step-{action}").count() == 0


def answered_demand(alice, bob, econ_dept, enterprise):
    demand = services.receive(
        alice,
        enterprise=enterprise,
        category=power(),
        channel="visit",
        title="新厂房临时用电增容",
        description="增容至800千伏安。",
    )
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    services.answer(demand, bob, "已协调供电公司完成增容。")
    return demand


def test_a_demand_from_portal_to_the_enterprise_confirmation(
    page, tmp_path, settings, enterprise_user, alice, charlie, owned_enterprise
):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = tmp_path / "用电申请.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    power()

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
    page.goto(url)
    take_step(
        page,
        "assign",
        "交办",
        lambda form: form.locator("select[name=department]").select_option(label="招商局"),
    )
    switch_to(page, "charlie")  # 招商局, now responsible
    page.goto(url)
    take_step(page, "accept", "签收")
    take_step(
        page, "answer", "答复", lambda form: form.locator("textarea").fill("已协调供电公司，下周完成增容。")
    )
    # Answered: charlie has nothing left to do, the enterprise confirms.
    assert page.locator("#steps").count() == 0
    assert "等待企业在企业端确认办结" in page.locator("#status").inner_text()

    switch_to(page, "ent")
    page.goto(url)
    page.locator("#step-confirm").get_by_role("button", name="满意", exact=True).click()
    page.locator("#record .msg.success", has_text="已确认办结。").wait_for()
    assert page.url == url

    summary = page.locator("#summary").inner_text()
    assert "办结" in summary and "满意" in summary and "已协调供电公司，下周完成增容。" in summary
    assert "企业在企业端确认办结" in summary
    events = page.locator("#events").inner_text()
    for step in (
        "受理 · 企业填报员",
        "交办 · 王丽 · 受理 → 交办",
        "签收 · 张超 · 交办 → 签收",
        "答复 · 张超 · 签收 → 已答复待确认",
        "确认办结 · 企业填报员 · 已答复待确认 → 办结",
    ):
        assert step in events, step
    demand.refresh_from_db()
    assert demand.status == "closed" and demand.satisfaction == "satisfied"
    with page.expect_download() as download:
        page.get_by_role("link", name="用电申请.pdf").click()
    assert download.value.suggested_filename == "用电申请.pdf"


def test_the_enterprise_sends_the_answer_back(page, enterprise_user, alice, bob, econ_dept, owned_enterprise):
    demand = answered_demand(alice, bob, econ_dept, owned_enterprise)
    login_as(page, "ent")
    page.goto(demand.get_absolute_url())
    # Without a reason nothing happens but a Chinese message, in place.
    page.locator("#step-reopen > summary").click()
    page.get_by_role("button", name="确认重新办理").click()
    page.locator("#step-reopen .field-error").wait_for()
    demand.refresh_from_db()
    assert demand.status == "answered"
    take_step(page, "reopen", "重新办理", lambda form: form.locator("textarea").fill("增容后仍频繁跳闸"))
    assert "办理中" in page.locator("#status").inner_text()
    switch_to(page, "bob")
    page.goto(demand.get_absolute_url())
    assert "不满意，要求重新办理：增容后仍频繁跳闸" in page.locator("#events").inner_text()
    assert page.locator("#step-answer").count() == 1  # back with the department
    demand.refresh_from_db()
    assert demand.status == "in_progress" and demand.answered_at is None


def test_the_holder_calls_back_an_enterprise_without_account(page, alice, bob, econ_dept, owned_enterprise):
    demand = answered_demand(alice, bob, econ_dept, owned_enterprise)
    login_as(page, "bob")
    page.goto("/my-work/?tab=done")
    assert "已答复，企业无账号，待您电话回访" in page.locator("#my-work").inner_text()
    page.get_by_role("link", name=demand.number).click()
    page.wait_for_url(f"**{demand.get_absolute_url()}")

    def fill(form):
        form.locator("input[name=contact]").fill("张经理 13800000000")
        form.get_by_label("基本满意").check()
        form.locator("textarea").fill("企业表示已解决")

    take_step(page, "follow_up", "回访", fill)
    summary = page.locator("#summary").inner_text()
    assert "承办部门电话回访张经理 13800000000" in summary and "基本满意" in summary
    assert "回访 · 李波 · 已答复待确认 → 办结" in page.locator("#events").inner_text()
    demand.refresh_from_db()
    assert (demand.status, demand.satisfaction, demand.follow_up_contact) == (
        "closed",
        "basically",
        "张经理 13800000000",
    )
