"""The pages of the units of measure (计量单位) and the exchange rates (汇率): the shared CRUD
cases, the checks on a factor, a rate and a year, who gets the pages by default, and the links
from 数据目录."""

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.figures.models import Dimension, ExchangeRate, Unit
from yuanqu.figures.units import convert
from yuanqu.utilities.testing.views import ViewTestCases

_serial = itertools.count(1)


class TestUnitViews(ViewTestCases.PrimaryObjectViewTestCase):
    """Units name no department, so a department-limited grant reaches none of them."""

    model = Unit
    edit_changes = {"order": "7"}

    def make_record(self, department):
        n = next(_serial)
        return Unit.objects.create(
            name=f"测试单位{n:04}", dimension=Dimension.AREA, factor=Decimal(n), order=0
        )

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        return {
            "name": f"新单位{next(_serial):04}",
            "dimension": Dimension.MASS,
            "factor": "1000",
            "order": "3",
        }


class TestExchangeRateViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = ExchangeRate
    edit_changes = {"usd_cny": "7.2345"}

    def make_record(self, department):
        n = next(_serial)
        return ExchangeRate.objects.create(
            year=2000 + n % 101, usd_cny=Decimal("7.1"), source=f"国家外汇管理局公告{n:04}"
        )

    def record_text(self, record):
        return record.source

    def create_data(self, department):
        n = next(_serial)
        return {"year": str(2000 + n % 101), "usd_cny": "6.9876", "source": f"年鉴{n:04}"}


# --- the checks -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"factor": "0"}, "折合基本单位须大于0，实际为“0”"),
        ({"factor": "-10"}, "折合基本单位须大于0，实际为“-10”"),
        ({"name": "万元"}, "具有 单位 的 计量单位 已存在。"),
    ],
)
def test_a_bad_unit_is_refused_with_its_reason(client, sysadmin, data, message):
    client.force_login(sysadmin)
    post = {"name": "千亩", "dimension": Dimension.AREA, "factor": "666666.6666666667", "order": "9", **data}
    count = Unit.objects.count()
    response = client.post(reverse("figures:unit_add"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.count() == count


@pytest.mark.django_db
def test_a_unit_added_converts(client, sysadmin):
    client.force_login(sysadmin)
    post = {"name": "千亩", "dimension": Dimension.AREA, "factor": "666666.6666666667", "order": "9"}
    assert client.post(reverse("figures:unit_add"), post).status_code == 302
    assert convert(Decimal("1.5"), "千亩", "亩") == Decimal("1500")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"usd_cny": "0"}, "汇率须大于0，实际为“0”"),
        ({"usd_cny": "-7.1"}, "汇率须大于0，实际为“-7.1”"),
        ({"year": "1999"}, "年度须在2000–2100之间，实际为1999"),
        ({"year": "2101"}, "年度须在2000–2100之间，实际为2101"),
    ],
)
def test_a_bad_rate_is_refused_with_its_reason(client, sysadmin, data, message):
    client.force_login(sysadmin)
    post = {"year": "2026", "usd_cny": "7.1", "source": "", **data}
    response = client.post(reverse("figures:exchangerate_add"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExchangeRate.objects.exists()


@pytest.mark.django_db
def test_a_rate_entered_makes_currencies_convert(client, sysadmin):
    client.force_login(sysadmin)
    post = {"year": "2026", "usd_cny": "7.1", "source": "国家外汇管理局"}
    assert client.post(reverse("figures:exchangerate_add"), post).status_code == 302
    assert convert(Decimal(1), "亿美元", "亿元", year=2026) == Decimal("7.1")


# --- who gets the pages ------------------------------------------------------------------------

PAGES = ("figures:unit_list", "figures:exchangerate_list")


@pytest.mark.django_db
def test_the_system_administrator_keeps_units_and_rates(client, sysadmin):
    client.force_login(sysadmin)
    home = client.get("/").content.decode()
    for name in PAGES:
        assert f'href="{reverse(name)}"' in home  # the administration menu
        assert client.get(reverse(name)).status_code == 200
    unit = Unit.objects.get(name="亩")
    assert client.get(reverse("figures:unit_edit", args=[unit.pk])).status_code == 200
    assert client.get(reverse("figures:exchangerate_add")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "alice"])
def test_leaders_and_staff_view_them_from_the_catalogue(client, request, who):
    client.force_login(request.getfixturevalue(who))
    catalogue = client.get(reverse("figures:catalogue")).content.decode()
    unit = Unit.objects.get(name="亩")
    for name in PAGES:
        assert f'href="{reverse(name)}"' in catalogue
        assert client.get(reverse(name)).status_code == 200
    assert "亩" in client.get(reverse("figures:unit", args=[unit.pk])).content.decode()
    assert client.get(reverse("figures:unit_add")).status_code == 403
    assert client.get(reverse("figures:unit_edit", args=[unit.pk])).status_code == 404
    assert client.post(reverse("figures:unit_delete", args=[unit.pk])).status_code == 404
    assert client.get(reverse("figures:exchangerate_add")).status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()


@pytest.mark.django_db
def test_an_enterprise_user_gets_none_of_them(client, enterprise_user):
    client.force_login(enterprise_user)
    unit = Unit.objects.get(name="亩")
    rate = ExchangeRate.objects.create(year=2026, usd_cny=Decimal("7.1"))
    for url in (
        reverse("figures:unit_list"),
        reverse("figures:unit_add"),
        reverse("figures:exchangerate_list"),
        reverse("figures:exchangerate_add"),
    ):
        assert client.get(url).status_code == 403, url
    for url in (reverse("figures:unit", args=[unit.pk]), reverse("figures:exchangerate", args=[rate.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("figures:unit_delete", args=[unit.pk])).status_code == 404
    assert Unit.objects.filter(pk=unit.pk).exists()
