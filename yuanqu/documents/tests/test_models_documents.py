"""Report templates seeded once from the shipped text, documents and their versions.

The helpers here (a report as the engine returns it, a document with a version, the sign-off
cast) serve the sign-off and page tests too."""

import datetime
import sys
import types

import pytest
from django.contrib.contenttypes.models import ContentType

from yuanqu.core.context import acting_as
from yuanqu.core.models import ObjectChange, SeededDefault
from yuanqu.documents import services
from yuanqu.documents.choices import DocumentStatus, ReportKind
from yuanqu.documents.models import Document, DocumentVersion, ReportTemplate
from yuanqu.users.choices import Role
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f

pytestmark = pytest.mark.django_db

AUG_2024 = datetime.date(2024, 8, 1)
SHIPPED = "{{ title }}\n一、主要经济指标\n规上工业总产值{{ figure('economy.industrial_output') }}。"

LINK = "/economy/?period=2024-08"
OUTPUT_FIGURE = {
    "key": "economy.industrial_output",
    "name": "规上工业总产值",
    "period": "2024-08",
    "scope": "园区",
    "value": 122,
    "unit": "万元",
    "text": "122万元",
    "link": LINK,
}


class FakeReport:
    """What the engine's ``generate`` returns, for tests of the workflow around it."""

    def __init__(self, kind, figures=None, title="", html=None):
        self.kind = kind
        self.title = title or f"{ReportKind(kind).label}（测试）"
        self.params = {}
        self.blocks = []
        self.figures = list(figures if figures is not None else [OUTPUT_FIGURE])
        self._html = html or f'<h1>{self.title}</h1><p>规上工业总产值<a href="{LINK}">122万元</a>。</p>'

    def html(self):
        return self._html

    def to_docx(self):
        return b"PK\x03\x04 docx of " + self.title.encode()

    def pdf(self):
        return None


@pytest.fixture
def fake_engine(monkeypatch):
    """The engine (``yuanqu.documents.reports``) replaced by one returning ``FakeReport``s;
    the calls it got are recorded. ``calls.fail`` makes the next call raise it."""
    recorded = Calls()

    def generate(kind, *, period=None, date=None, year=None, user=None, template_text=None):
        if recorded.fail is not None:
            raise recorded.fail
        given = {"period": period, "date": date, "year": year}
        recorded.append(
            {
                "kind": kind,
                "user": user,
                "template_text": template_text,
                **{k: v for k, v in given.items() if v},
            }
        )
        return FakeReport(kind)

    engine = types.ModuleType("yuanqu.documents.reports")
    engine.generate = generate
    engine.shipped_template = lambda kind: SHIPPED
    engine.ReportError = FakeReportError
    monkeypatch.setitem(sys.modules, "yuanqu.documents.reports", engine)
    return recorded


class FakeReportError(Exception):
    pass


class Calls(list):
    fail = None


def make_document(drafter, *, kind=ReportKind.MONTHLY, status=DocumentStatus.DRAFT, figures=None, title=""):
    """A document of the drafter's department with one generated version."""
    document = Document.objects.create(
        kind=kind,
        title=title or f"{drafter.department}2024年8月经济运行分析",
        period=AUG_2024,
        year=2024,
        department=drafter.department,
        drafter=drafter,
        status=status,
    )
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        template_text=SHIPPED,
        figures=list(figures if figures is not None else [OUTPUT_FIGURE]),
        author=drafter,
    )
    version.files.create(fmt="html", content=FakeReport(kind).html().encode())
    version.files.create(fmt="docx", content=b"PK\x03\x04 docx")
    return document


def grant_review(user):
    """Make ``user`` the head of their department: the review grant on its documents."""
    ObjectPermission.objects.create(
        name=f"{user.username}-部门负责人审核",
        user=user,
        model="documents.document",
        actions=["view", "review"],
        constraint="own_department",
    )
    user.__dict__.pop("_yuanqu_grants", None)


def change_log(model):
    return ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(model))


# --- templates: seeded once ---------------------------------------------------------------------


def test_the_default_template_is_seeded_from_the_shipped_text_the_first_time(fake_engine):
    template = services.template_for(ReportKind.MONTHLY)
    assert template.text == SHIPPED
    assert template.name == "月度经济运行分析（系统内置）"
    assert template.kind == ReportKind.MONTHLY and template.active
    assert services.template_for(ReportKind.MONTHLY) == template
    assert ReportTemplate.objects.count() == 1
    assert change_log(ReportTemplate).filter(action="create").count() == 1


def test_a_deleted_default_stays_deleted(fake_engine):
    services.template_for(ReportKind.WEEKLY).delete()
    assert services.template_for(ReportKind.WEEKLY) is None  # the engine's shipped text is used
    assert not ReportTemplate.objects.filter(kind=ReportKind.WEEKLY).exists()
    assert SeededDefault.objects.filter(kind="report_template", key="weekly").exists()


def test_an_edited_template_is_reset_from_the_shipped_text(fake_engine):
    template = services.template_for(ReportKind.ANNUAL)
    template.text = "改过的文本"
    template.save()
    services.reset_template(template)
    template.refresh_from_db()
    assert template.text == SHIPPED
    assert change_log(ReportTemplate).filter(action="update", object_id=str(template.pk)).count() == 2


def test_an_inactive_template_is_passed_over_for_the_active_one(fake_engine):
    services.template_for(ReportKind.MONTHLY).delete()
    ReportTemplate.objects.create(kind=ReportKind.MONTHLY, name="旧模板", text="旧", active=False)
    current = ReportTemplate.objects.create(kind=ReportKind.MONTHLY, name="新模板", text="新")
    assert services.template_for(ReportKind.MONTHLY) == current


# --- writing a document -------------------------------------------------------------------------


def test_writing_a_monthly_document_keeps_its_first_version(fake_engine, alice):
    with acting_as(alice, source="web"):
        document = services.write(ReportKind.MONTHLY, user=alice, period=datetime.date(2024, 8, 15))
    assert (document.kind, document.status, document.department, document.drafter) == (
        ReportKind.MONTHLY,
        DocumentStatus.DRAFT,
        alice.department,
        alice,
    )
    assert (document.period, document.year) == (AUG_2024, 2024)
    assert fake_engine == [{"kind": "monthly", "user": alice, "template_text": SHIPPED, "period": AUG_2024}]
    version = document.versions.get()
    assert version.number == 1 and version.author == alice
    assert version.figures == [OUTPUT_FIGURE]
    assert bytes(version.files.get(fmt="docx").content).startswith(b"PK")
    assert not version.files.filter(fmt="pdf").exists()
    assert change_log(Document).filter(action="create", user_id=alice.pk).count() == 1
    assert change_log(DocumentVersion).filter(action="create").count() == 1


def test_a_document_needs_what_its_kind_is_written_for(fake_engine, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="周通报须填写日期"):
        services.write(ReportKind.WEEKLY, user=alice, period=AUG_2024)
    with pytest.raises(ValidationError, match="年度工作总结须填写年度"):
        services.write(ReportKind.ANNUAL, user=alice)
    assert not Document.objects.exists() and not change_log(Document).exists()


def test_without_the_add_grant_nothing_is_written(fake_engine, econ_dept):
    from django.core.exceptions import PermissionDenied

    visitor = f.user("visitor", Role.GRID, econ_dept, zone=f.zone("南区"))
    with pytest.raises(PermissionDenied):
        services.write(ReportKind.MONTHLY, user=visitor, period=AUG_2024)
    assert not Document.objects.exists() and not change_log(Document).exists()
    assert fake_engine == []


def test_an_engine_error_writes_nothing_and_says_why(fake_engine, alice):
    from django.core.exceptions import ValidationError

    fake_engine.fail = FakeReportError("2024年8月没有数据")
    with pytest.raises(ValidationError, match="2024年8月没有数据"):
        services.write(ReportKind.MONTHLY, user=alice, period=AUG_2024)
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not change_log(Document).exists()


def test_version_numbers_count_up_and_the_figures_stay_as_written(fake_engine, alice):
    document = services.write(ReportKind.MONTHLY, user=alice, period=AUG_2024)
    second = services.revise(document, alice, "改写后的模板文本")
    assert second.number == 2 and second.source == "edited" and second.template_text == "改写后的模板文本"
    assert document.latest_version() == second
    assert document.versions.get(number=1).figures == [OUTPUT_FIGURE]
