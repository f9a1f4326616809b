"""Two 规上 enterprises evaluated for 2024 under 黄岩 2022's rules (REFERENCE §6.3):
owned_enterprise is §6.7's worked example (115.71 points), its tax, revenue, R&D and
employees taken from the monthly reports; other_enterprise has half the tax per mu; a third
规上 enterprise has no land area recorded."""

import datetime
from decimal import Decimal

import pytest

from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.enterprises.models import ScaleRecord
from yuanqu.evaluation.models import EvaluationInput, EvaluationScheme, SchemeIndicator
from yuanqu.evaluation.services import default_rules
from yuanqu.utilities.testing import factories as f

D = Decimal


def make_scheme(year, department, status="published"):
    scheme = EvaluationScheme.objects.create(
        year=year,
        department=department,
        status=status,
        published_on=datetime.date(year + 1, 5, 1) if status == "published" else None,
    )
    for rule in default_rules():
        SchemeIndicator.objects.create(
            scheme=scheme,
            code=rule.code,
            weight=rule.weight,
            benchmark=rule.benchmark,
            when_missing=rule.when_missing,
        )
    return scheme


def report(enterprise, code, month, ytd, year=2024):
    EnterpriseMonthlyValue.objects.create(
        enterprise=enterprise,
        indicator=Indicator.objects.get(code=code),
        period=datetime.date(year, month, 1),
        ytd_value=D(ytd),
        month_value=D(ytd),
    )


@pytest.fixture
def scheme(econ_dept):
    return make_scheme(2024, econ_dept)


@pytest.fixture
def evaluated_world(scheme, owned_enterprise, other_enterprise, econ_dept):
    owned_enterprise.land_area_mu = D(50)
    owned_enterprise.save()
    other_enterprise.land_area_mu = D(50)
    other_enterprise.save()
    no_land = f.enterprise("无地登记有限公司", dept=econ_dept)
    for enterprise in (owned_enterprise, other_enterprise, no_land):
        ScaleRecord.objects.create(enterprise=enterprise, year=2024, kind="industry")
    # owned_enterprise: the worked example, partly from the monthly reports
    report(owned_enterprise, "tax_all_levels", 11, 1300)
    report(owned_enterprise, "tax_all_levels", 12, 1500)
    report(owned_enterprise, "revenue", 12, 40000)
    report(owned_enterprise, "rd_expenditure", 12, 1200)
    report(owned_enterprise, "employees", 6, 390)
    report(owned_enterprise, "employees", 12, 410)
    EvaluationInput.objects.create(
        enterprise=owned_enterprise,
        year=2024,
        value_added_wan=D(8000),
        energy_tce=D(2500),
        emissions_t=D("1.6"),
        source="统计局年报",
    )
    EvaluationInput.objects.create(
        enterprise=other_enterprise,
        year=2024,
        tax_wan=D(750),
        revenue_wan=D(40000),
        value_added_wan=D(8000),
        energy_tce=D(2500),
        emissions_t=D("1.6"),
        employees=D(400),
        rd_wan=D(1200),
        source="统计局年报",
    )
    return {"owned": owned_enterprise, "other": other_enterprise, "no_land": no_land}
