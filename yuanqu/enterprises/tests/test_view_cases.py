"""The shared CRUD cases on the registry's pages not covered in ``test_views.py``: the 规上
records under an enterprise and the industry-chain catalogue (which names no department)."""

import itertools

from yuanqu.enterprises.choices import ScaleKind
from yuanqu.enterprises.models import IndustryChain, ScaleRecord
from yuanqu.enterprises.tests.test_views import EnterpriseChildCases
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ViewTestCases

_serial = itertools.count(1)


class TestScaleRecordViews(
    EnterpriseChildCases,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
):
    model = ScaleRecord
    edit_changes = {"year": "2022", "kind": ScaleKind.SERVICE}
    invalid_edit_changes = {"year": "二〇二二"}

    def make_child(self, enterprise):
        return ScaleRecord.objects.create(enterprise=enterprise, year=2023, kind=ScaleKind.INDUSTRY)

    def create_data(self, department):
        return {"enterprise": f.enterprise(dept=department).pk, "year": "2024", "kind": ScaleKind.TRADE}


class TestIndustryChainViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = IndustryChain
    edit_changes = {"name": "新一代信息技术", "order": "3"}
    invalid_edit_changes = {"name": ""}

    def make_record(self, department):  # the catalogue names no department
        return IndustryChain.objects.create(name=f"产业链{next(_serial)}")

    def create_data(self, department):
        return {"name": f"新材料{next(_serial)}", "order": "7", "active": "on"}
