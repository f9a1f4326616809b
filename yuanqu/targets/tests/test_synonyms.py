"""The synonyms (指标别名) the administrator keeps for the target import: the shared CRUD
cases (a synonym names no department, so a department-limited grant reaches none), a figure
picked from the catalogue, and a key the catalogue does not have refused."""

import itertools

import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.targets.models import Synonym
from yuanqu.utilities.testing.views import ViewTestCases

_serial = itertools.count(1)


class TestSynonymViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Synonym
    edit_changes = {"figure": "economy.industrial_value_added"}

    def make_record(self, department):
        return Synonym.objects.create(name=f"别名{next(_serial):04}", figure="economy.gdp")

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        return {"name": f"新别名{next(_serial):04}", "figure": "investment.funds_foreign"}


@pytest.fixture
def keeper(client, inspector):
    client.force_login(inspector)  # 督查人员 maintain the synonyms
    return client


def test_figure_is_picked_from_the_catalogue(keeper):
    page = keeper.get(reverse("targets:synonym_add")).content.decode()
    assert '<option value="economy.gdp">地区生产总值（亿元）</option>' in page
    response = keeper.post(reverse("targets:synonym_add"), {"name": " 园区GDP ", "figure": "economy.gdp"})
    assert response.status_code == 302
    synonym = Synonym.objects.get(name="园区GDP")
    assert synonym.figure == "economy.gdp"
    listed = keeper.get(reverse("targets:synonym_list")).content.decode()
    assert "园区GDP" in listed and "地区生产总值（economy.gdp）" in listed


def test_unknown_figure_key_is_refused(keeper):
    changes = ObjectChange.objects.count()
    response = keeper.post(reverse("targets:synonym_add"), {"name": "外资FDI", "figure": "economy.fdi"})
    assert response.status_code == 200 and not Synonym.objects.filter(name="外资FDI").exists()
    assert "economy.fdi" in response.content.decode()  # “选择一个有效的选项……”
    assert response.context["form"].errors["figure"]
    assert ObjectChange.objects.count() == changes


def test_a_stored_key_no_longer_in_the_catalogue_is_refused_on_save(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="数据目录中没有数据项“economy.fdi”"):
        Synonym(name="FDI", figure="economy.fdi").full_clean()


def test_staff_see_the_synonyms_but_do_not_edit_them(client, alice):
    client.force_login(alice)
    assert "GDP" in client.get(reverse("targets:synonym_list")).content.decode()
    assert client.get(reverse("targets:synonym_add")).status_code == 403


def test_the_common_synonyms_are_seeded_once_and_a_deleted_one_stays_deleted(db):
    from yuanqu.targets.synonyms import DEFAULT_SYNONYMS, ensure_synonyms

    assert dict(Synonym.objects.values_list("name", "figure")) == DEFAULT_SYNONYMS
    Synonym.objects.filter(name="固投").delete()
    Synonym.objects.filter(name="GDP").update(figure="economy.industrial_output")
    ensure_synonyms()
    assert not Synonym.objects.filter(name="固投").exists()
    assert Synonym.objects.get(name="GDP").figure == "economy.industrial_output"
