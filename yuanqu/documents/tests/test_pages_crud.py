"""The shared page cases of the report templates and the documents (list, record, export; a
template's create, edit and delete): without a grant, with one, limited to the department."""

import itertools

from yuanqu.documents.choices import ReportKind
from yuanqu.documents.models import Document, DocumentVersion, ReportTemplate, SignOff
from yuanqu.documents.tests.test_models_documents import make_document
from yuanqu.users.choices import Role
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ViewTestCases

_serial = itertools.count(1)


class TestReportTemplateViews(ViewTestCases.PrimaryObjectViewTestCase):
    """Templates name no department: a department-limited grant reaches none of them."""

    model = ReportTemplate
    edit_changes = {"name": "月度分析（改）"}

    def make_record(self, department):
        n = next(_serial)
        return ReportTemplate.objects.create(
            kind=ReportKind.MONTHLY, name=f"测试模板{n:04}", text="{{ title }}\n正文第" + str(n) + "稿"
        )

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        return {
            "kind": ReportKind.WEEKLY,
            "name": f"新模板{next(_serial):04}",
            "active": "on",
            "text": "{{ title }}",
        }


class TestDocumentViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
):
    model = Document
    watched_models = (DocumentVersion, SignOff)

    def make_record(self, department):
        n = next(_serial)
        drafter = f.user(f"drafter{n:04}", Role.STAFF, department, name=f"起草人{n:04}")
        return make_document(drafter, title=f"{department}第{n:04}期经济运行分析")

    def record_text(self, record):
        return record.title
