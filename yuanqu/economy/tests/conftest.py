import pytest

from yuanqu.economy.models import Indicator


@pytest.fixture
def output(db):
    """规上工业总产值 (万元, reported as 1–N月累计), seeded by the data migration."""
    return Indicator.objects.get(code="industrial_output")
