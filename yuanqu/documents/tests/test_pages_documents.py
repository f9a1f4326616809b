"""The 材料报告 pages as each role uses them: 生成材料, the document's page (preview, figure
list, versions, sign-off), the sign-off buttons, the downloads, 数据已更正 on a published
document after the records changed, the template's preview, and 材料校核."""

import base64
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.documents import services
from yuanqu.documents.choices import Decision, DocumentStatus, ReportKind
from yuanqu.documents.models import Document, DocumentVersion, ReportTemplate, SignOff
from yuanqu.documents.tests.test_models_documents import (  # noqa: F401 (fake_engine: a fixture)
    change_log,
    fake_engine,
    grant_review,
    make_document,
)
from yuanqu.economy.models import Indicator
from yuanqu.economy.tests.conftest import output  # noqa: F401 (a fixture of zone_data)
from yuanqu.economy.tests.test_command import AUG_2024, zone_data  # noqa: F401 (a fixture)
from yuanqu.users.choices import Role
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.changes import assert_nothing_changed

pytestmark = pytest.mark.django_db
S = DocumentStatus


@pytest.fixture
def head(econ_dept):
    user = f.user("head", Role.STAFF, econ_dept, name="陈科长")
    grant_review(user)
    return user


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def signoff_url(document, step):
    return reverse("documents:document_signoff", args=[document.pk, step])


def written_figure(key="economy.industrial_output", scope=None, growth=False):
    """A figure as the engine prints it into a report of August 2024 (its figure list entry)."""
    from yuanqu.documents.reports.engine import Helpers

    helpers = Helpers(AUG_2024)
    (helpers.growth if growth else helpers.figure)(key, scope=scope)
    return helpers.figures[-1]


# --- the document's page -------------------------------------------------------------------------


def test_the_drafter_sees_preview_figure_list_and_the_submit_button(client, alice):
    document = make_document(alice)
    response = page(client, alice, document.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "正文预览" in body and "规上工业总产值" in body
    assert body.count('href="/economy/?period=2024-08"') == 2  # the number and its list row open the records
    assert "数据清单（1项）" in body and "122万元" in body
    assert "提交部门负责人审核" in body and "下载Word" in body
    assert "重新生成对比" in body


def test_another_department_does_not_see_the_document(client, alice, charlie):
    document = make_document(alice)
    assert page(client, charlie, document.get_absolute_url()).status_code == 404
    assert (
        page(client, charlie, reverse("documents:document_list")).content.decode().count(document.title) == 0
    )


def test_the_leader_sees_every_department_and_approves_at_the_leader_step(client, alice, leader):
    document = make_document(alice, status=S.LEADER_REVIEW)
    body = page(client, leader, document.get_absolute_url()).content.decode()
    assert "当前环节：领导审定" in body and "提交意见" in body
    assert document.title in page(client, leader, reverse("documents:document_list")).content.decode()


def test_grid_and_enterprise_users_have_no_documents(client, grid_worker, enterprise_user, alice):
    document = make_document(alice)
    for user in (grid_worker, enterprise_user):
        assert page(client, user, reverse("documents:document_list")).status_code == 403
        assert page(client, user, document.get_absolute_url()).status_code == 404
        assert page(client, user, reverse("documents:check")).status_code == 403
        assert page(client, user, reverse("documents:generate")).status_code == 403


# --- sign-off through the pages ---------------------------------------------------------------


def test_submit_approve_and_publish_through_the_pages(client, alice, head, leader):
    document = make_document(alice)
    assert post(client, alice, signoff_url(document, "submit"), {"comment": "请审核"}).status_code == 302
    assert "陈科长" not in page(client, alice, document.get_absolute_url()).content.decode()
    body = page(client, head, document.get_absolute_url()).content.decode()
    assert "当前环节：部门负责人审核" in body
    post(client, head, signoff_url(document, "sign"), {"decision": Decision.APPROVE, "comment": "同意"})
    post(client, leader, signoff_url(document, "sign"), {"decision": Decision.APPROVE})
    document.refresh_from_db()
    assert document.status == S.PUBLISHED
    body = page(client, alice, document.get_absolute_url()).content.decode()
    assert "已发布" in body and "陈科长" in body and "刘主任" in body
    assert "提交部门负责人审核" not in body and "修改</a>" not in body
    assert change_log(SignOff).filter(action="create").count() == 3


def test_a_return_without_comment_is_refused_with_its_message_and_changes_nothing(client, alice, head):
    document = make_document(alice, status=S.DEPT_REVIEW)
    with assert_nothing_changed(Document, SignOff):
        response = post(
            client, head, signoff_url(document, "sign"), {"decision": Decision.RETURN, "comment": ""}
        )
    assert response.status_code == 302
    assert "退回时须填写退回意见" in page(client, head, document.get_absolute_url()).content.decode()


def test_who_may_not_sign_gets_403_or_404_and_nothing_changes(client, alice, bob, charlie):
    document = make_document(alice, status=S.DEPT_REVIEW)
    with assert_nothing_changed(Document, SignOff):
        assert post(client, bob, signoff_url(document, "sign"), {"decision": "approve"}).status_code == 403
        assert (
            post(client, charlie, signoff_url(document, "sign"), {"decision": "approve"}).status_code == 404
        )
        assert post(client, alice, signoff_url(document, "submit")).status_code == 403


def test_the_sign_off_page_takes_posts_only_and_known_steps(client, alice):
    document = make_document(alice)
    assert page(client, alice, signoff_url(document, "submit")).status_code == 405
    with assert_nothing_changed(Document, SignOff):
        assert post(client, alice, signoff_url(document, "publish")).status_code == 404


@pytest.mark.usefixtures("fake_engine")
def test_a_returned_document_shows_why_and_is_revised_into_a_new_version(client, alice, head):
    document = make_document(alice, status=S.DEPT_REVIEW)
    post(client, head, signoff_url(document, "sign"), {"decision": Decision.RETURN, "comment": "口径写错了"})
    body = page(client, alice, document.get_absolute_url()).content.decode()
    assert "陈科长于" in body and "退回（部门负责人审核）：口径写错了" in body
    url = reverse("documents:document_revise", args=[document.pk])
    form = page(client, alice, url).content.decode()
    assert "{{ title }}" in form  # the version's own template text, to edit
    response = post(client, alice, url, {"text": "{{ title }}\n改正后的口径"})
    assert response.status_code == 302
    version = document.versions.get(number=2)
    assert (version.source, version.template_text, version.author) == (
        "edited",
        "{{ title }}\n改正后的口径",
        alice,
    )
    assert "第2版" in page(client, alice, document.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("zone_data")
def test_a_revision_with_a_template_error_keeps_the_text_and_writes_nothing(client, alice):
    document = make_document(alice)
    url = reverse("documents:document_revise", args=[document.pk])
    text = "{{ title }}\n{{ figure('economy.nothing_like_it') }}"
    with assert_nothing_changed(Document, DocumentVersion):
        response = post(client, alice, url, {"text": text})
    body = response.content.decode()
    assert response.status_code == 200 and "数据项“economy.nothing_like_it”不在数据目录中" in body
    assert "economy.nothing_like_it&#x27;) }}</textarea>" in body


def test_revising_is_the_drafters_and_only_before_it_is_handed_on(client, alice, charlie, leader):
    document = make_document(alice, status=S.LEADER_REVIEW)
    url = reverse("documents:document_revise", args=[document.pk])
    with assert_nothing_changed(Document, DocumentVersion):
        assert page(client, alice, url).status_code == 403
        assert post(client, alice, url, {"text": "改"}).status_code == 403
        assert post(client, charlie, url, {"text": "改"}).status_code == 404
        assert post(client, leader, url, {"text": "改"}).status_code == 403


# --- downloads ---------------------------------------------------------------------------------


def test_the_word_file_download_is_audited_as_an_export(client, alice):
    document = make_document(alice)
    url = reverse("documents:document_download", args=[document.pk, "docx"])
    response = page(client, alice, url, version=1)
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(kind="export")
    assert event.user_id == alice.pk and "第1版（Word）" in event.detail
    assert event.data["model"] == "documents.document" and event.data["pk"] == document.pk


def test_no_download_without_the_grant_or_the_file(client, alice, charlie, leader, monkeypatch):
    monkeypatch.setattr(services, "pdf_available", lambda: False)  # no LibreOffice here
    document = make_document(alice)
    assert (
        page(client, charlie, reverse("documents:document_download", args=[document.pk, "docx"])).status_code
        == 404
    )
    assert (
        page(client, alice, reverse("documents:document_download", args=[document.pk, "pdf"])).status_code
        == 404
    )
    assert (
        page(client, alice, reverse("documents:document_download", args=[document.pk, "html"])).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(kind="export").exists()
    # the leader may download every department's documents
    assert (
        page(client, leader, reverse("documents:document_download", args=[document.pk, "docx"])).status_code
        == 200
    )


def test_the_pdf_is_made_once_from_the_versions_word_file(client, alice, monkeypatch):
    from yuanqu.documents.reports import pdf

    converted = []
    monkeypatch.setattr(services, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda content: converted.append(content) or b"%PDF-1.7 test")
    document = make_document(alice)
    assert "下载PDF" in page(client, alice, document.get_absolute_url()).content.decode()
    url = reverse("documents:document_download", args=[document.pk, "pdf"])
    for _ in range(2):
        response = page(client, alice, url, version=1)
        assert response.status_code == 200 and response.content == b"%PDF-1.7 test"
        assert response["Content-Type"] == "application/pdf"
    assert converted == [b"PK\x03\x04 docx"]  # the stored Word file of version 1, converted once
    assert [e.detail for e in AuditEvent.objects.filter(kind="export")] == [
        f"下载材料“{document}”第1版（PDF）"
    ] * 2


# --- 数据已更正 ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("zone_data")
def test_a_published_document_shows_which_figures_were_corrected_since(client, alice, owned_enterprise):
    from yuanqu.economy.services import record_enterprise_value

    indicator = Indicator.objects.get(code="industrial_output")

    figures = [written_figure(), written_figure(growth=True), written_figure(scope="西区")]
    assert [fig["text"] for fig in figures] == ["122万元", "增长12%", "62万元"]
    document = make_document(alice, status=S.PUBLISHED, figures=figures)
    body = page(client, alice, document.get_absolute_url()).content.decode()
    assert "数据均未变化" in body and "数据已更正" not in body

    # 东区's enterprise corrects its August report: 50 → 55 (the park's 1–8月 122 → 127).
    record_enterprise_value(
        owned_enterprise,
        indicator,
        AUG_2024,
        month_value=Decimal(6),
        ytd_value=Decimal(55),
        reason="企业更正",
    )
    body = page(client, alice, document.get_absolute_url()).content.decode()
    assert "有 2 项数据已更正" in body
    rows = re.findall(r"<tr( class=\"changed\")?>\s*<td class=\"wrap\">(.*?)</tr>", body, re.S)
    changed = [re.sub(r"<[^>]+>", "", row).split("\n")[0] for flag, row in rows if flag]
    assert changed == ["规上工业总产值", "规上工业总产值增速"]
    assert "122万元 → 127万元" in body and "增长12% → 增长17%" in body
    assert body.count("数据已更正</span>") == 2  # 西区's figure is as it was
    # the version itself still holds what was published
    assert DocumentVersion.objects.get(document=document).figures[0]["text"] == "122万元"


@pytest.mark.usefixtures("zone_data")
def test_a_draft_is_compared_on_request_only(client, alice, owned_enterprise):
    from yuanqu.economy.services import record_enterprise_value

    indicator = Indicator.objects.get(code="industrial_output")

    document = make_document(alice, figures=[written_figure()])
    record_enterprise_value(
        owned_enterprise,
        indicator,
        AUG_2024,
        month_value=Decimal(6),
        ytd_value=Decimal(55),
        reason="企业更正",
    )
    assert "数据已更正" not in page(client, alice, document.get_absolute_url()).content.decode()
    body = page(client, alice, document.get_absolute_url(), compare=1, version=1).content.decode()
    assert "122万元 → 127万元" in body


# --- 生成材料 -------------------------------------------------------------------------------------


def test_generating_a_report_needs_what_its_kind_is_written_for(client, alice):
    url = reverse("documents:generate")
    with assert_nothing_changed(Document, DocumentVersion):
        response = post(client, alice, url, {"kind": ReportKind.WEEKLY, "period": "2024-08"})
    assert response.status_code == 200
    assert "周通报须填写日期" in response.content.decode()
    with assert_nothing_changed(Document, DocumentVersion):
        response = post(client, alice, url, {"kind": ReportKind.MONTHLY, "period": "2024-13"})
    assert "月份“2024-13”" in response.content.decode()


def test_a_month_without_data_is_refused_with_the_engines_reason(client, alice):
    with assert_nothing_changed(Document, DocumentVersion, ReportTemplate):
        response = post(
            client, alice, reverse("documents:generate"), {"kind": "monthly", "period": "2031-05"}
        )
    assert response.status_code == 200
    assert "2031年" in response.content.decode()


@pytest.mark.usefixtures("fake_engine")
def test_generating_writes_version_one_and_opens_it(client, alice):
    response = post(client, alice, reverse("documents:generate"), {"kind": "monthly", "period": "2024-08"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert (document.drafter, document.department, document.period) == (alice, alice.department, AUG_2024)
    assert document.versions.get().number == 1


ZONE_TEMPLATE = (
    "# {{ park }}{{ ytd_label }}经济运行简况\n"
    "## 主要指标\n"
    "{{ ytd_label }}，全区规上工业总产值{{ figure('economy.industrial_output') }}，"
    "同比{{ growth('economy.industrial_output') }}。\n"
)


@pytest.mark.usefixtures("zone_data")
def test_the_engine_writes_the_zones_template_and_its_numbers_open_their_records(client, alice):
    template = ReportTemplate.objects.create(kind="monthly", name="本区月度简况", text=ZONE_TEMPLATE)
    response = post(client, alice, reverse("documents:generate"), {"kind": "monthly", "period": "2024-08"})
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.template == template and document.title.endswith("经济运行简况")
    version = document.versions.get()
    assert version.template_text == ZONE_TEMPLATE
    assert [(f["key"], f["period"], f["scope"], f["text"]) for f in version.figures] == [
        ("economy.industrial_output", "2024-08", "园区", "122万元"),
        ("economy.industrial_output", "2024-08", "园区", "增长12%"),
    ]
    assert bytes(version.files.get(fmt="docx").content).startswith(b"PK")
    body = page(client, alice, document.get_absolute_url()).content.decode()
    link = version.figures[0]["link"]
    assert link.startswith("/indicators/")
    assert f'<a class="figure" data-figure="0" href="{link}"' in body


# --- templates: preview -------------------------------------------------------------------------


@pytest.mark.usefixtures("zone_data")
def test_a_template_error_shows_its_message_and_keeps_the_text(client, econ_dept):
    editor = f.user("editor", Role.STAFF, econ_dept, name="材料员")
    text = "{{ title }}\n一、主要指标\n{{ figure('economy.no_such_figure') }}"
    data = {
        "kind": "monthly",
        "name": "试写模板",
        "active": "on",
        "text": text,
        "period": "2024-08",
        "preview": "1",
    }
    with assert_nothing_changed(ReportTemplate):
        response = post(client, editor, reverse("documents:reporttemplate_add"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "预览失败：" in body and "数据项“economy.no_such_figure”不在数据目录中" in body
    assert "economy.no_such_figure" in body.split("</textarea>")[0]  # the text as typed


def test_the_preview_asks_for_what_the_kind_is_written_for(client, econ_dept):
    editor = f.user("editor", Role.STAFF, econ_dept, name="材料员")
    data = {"kind": "annual", "name": "年度", "text": "{{ title }}", "preview": "1"}
    body = post(client, editor, reverse("documents:reporttemplate_add"), data).content.decode()
    assert "年度工作总结须填写年度" in body


def test_a_template_left_empty_takes_the_shipped_text(client, econ_dept):
    editor = f.user("editor", Role.STAFF, econ_dept, name="材料员")
    data = {"kind": "plan", "name": "要点（内置）", "active": "on", "text": ""}
    assert post(client, editor, reverse("documents:reporttemplate_add"), data).status_code == 302
    assert ReportTemplate.objects.get().text == services.shipped_text("plan")


def test_a_template_is_reset_to_the_shipped_text(client, econ_dept):
    editor = f.user("editor", Role.STAFF, econ_dept, name="材料员")
    template = ReportTemplate.objects.create(kind="weekly", name="周通报（改）", text="改过")
    response = post(client, editor, reverse("documents:reporttemplate_reset", args=[template.pk]))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text == services.shipped_text("weekly")


def test_the_template_list_offers_the_shipped_text_for_kinds_without_one(client, econ_dept):
    editor = f.user("editor", Role.STAFF, econ_dept, name="材料员")
    body = page(client, editor, reverse("documents:reporttemplate_list")).content.decode()
    assert "年度工作要点（按内置文本新建）" in body
    body = page(client, editor, reverse("documents:reporttemplate_add"), kind="plan").content.decode()
    assert services.shipped_text("plan").splitlines()[0][:10] in body


# --- 材料校核 ------------------------------------------------------------------------------------

PLANTED = "一、主要经济指标\n全年实现规上工业总产值***亿元，同比增长**%。\n**科技创新不断突破。**"


def test_the_check_page_finds_a_planted_placeholder_and_audits_the_check(client, alice):
    response = post(
        client, alice, reverse("documents:check"), {"text": PLANTED + "\n全年引进亿元以上项目78个。"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "发现问题 2 处" in body
    assert body.count("数字未填") == 2 and "第2段" in body
    assert "科技创新不断突破" not in body.split('id="findings"')[1].split('id="claims"')[0]
    from yuanqu.figures.catalogue import figures

    name = figures()["investment.signed_100m"].name
    assert "识别的数据（1条）" in body and f"<td>亿元以上项目</td><td>{name}</td>" in body
    assert "全年实现规上工业总产值***亿元" in body.split("</textarea>")[0]  # the text stays to be corrected
    event = AuditEvent.objects.get(kind="import")
    assert event.user_id == alice.pk and "发现问题2处" in event.detail


def test_a_docx_is_checked_and_given_back_with_comments(client, alice):
    import docx

    draft = docx.Document()
    for line in PLANTED.splitlines():
        draft.add_paragraph(line)  # one run each: the comments split them at the findings
    buffer = io.BytesIO()
    draft.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "三季度材料.docx"
    response = post(client, alice, reverse("documents:check"), {"file": upload, "period": "2024-08"})
    body = response.content.decode()
    assert "校核结果：三季度材料.docx" in body and body.count("数字未填") == 2
    assert 'download="三季度材料-校核批注-' in body and "data:application/vnd.openxmlformats" in body
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", body).group(1)
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))) as annotated:
        comments = annotated.read("word/comments.xml").decode()
    assert comments.count("<w:comment ") == 2 and "园区材料校核" in comments
    event = AuditEvent.objects.get(kind="import")
    assert event.data["check"] == "三季度材料.docx" and event.data["period"] == "2024-08"


def test_a_file_that_is_not_a_docx_is_refused_with_its_name(client, alice):
    upload = io.BytesIO(b"not a word file")
    upload.name = "材料.doc"
    body = post(client, alice, reverse("documents:check"), {"file": upload}).content.decode()
    assert "文件“材料.doc”不是Word文件（.docx）" in body
    assert not AuditEvent.objects.filter(kind="import").exists()


def test_nothing_to_check_says_so(client, alice):
    body = post(client, alice, reverse("documents:check"), {"text": "  "}).content.decode()
    assert "请粘贴材料文字或上传Word文件" in body


def test_the_period_of_a_check_must_be_a_month(client, alice):
    body = post(
        client, alice, reverse("documents:check"), {"text": PLANTED, "period": "十月"}
    ).content.decode()
    assert "月份“十月”格式不对" in body


# --- every role against the entry pages ----------------------------------------------------------

ROLE_PAGES = {
    "documents": lambda: reverse("documents:document_list"),
    "export": lambda: reverse("documents:document_list") + "?export=xlsx",
    "generate": lambda: reverse("documents:generate"),
    "check": lambda: reverse("documents:check"),
    "templates": lambda: reverse("documents:reporttemplate_list"),
    "template_add": lambda: reverse("documents:reporttemplate_add"),
}

# fmt: off
ROLE_EXPECTED = {
    #               docs export generate check templates template+
    "anonymous":   (302,  302,   302,     302,  302,      302),
    "leader":      (200,  200,   403,     200,  200,      403),
    "staff":       (200,  200,   200,     200,  200,      200),
    "grid":        (403,  403,   403,     403,  403,      403),
    "enterprise":  (403,  403,   403,     403,  403,      403),
    "sysadmin":    (403,  403,   403,     403,  403,      403),
    "secadmin":    (403,  403,   403,     403,  403,      403),
    "auditor":     (403,  403,   403,     403,  403,      403),
}
# fmt: on


@pytest.mark.parametrize("role", list(ROLE_EXPECTED))
def test_the_document_pages_answer_each_role_as_the_grants_say(client, request, role):
    from yuanqu.tests.test_permission_matrix_modules import check_pages

    check_pages(client, request, role, ROLE_PAGES, ROLE_EXPECTED)
