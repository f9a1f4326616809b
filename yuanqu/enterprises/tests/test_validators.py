import csv
from pathlib import Path

import pytest

from yuanqu.enterprises.validators import make_uscc, normalise_uscc, uscc_errors, uscc_warnings

VECTORS = Path(__file__).parent / "data" / "uscc_test_vectors.csv"


def load_vectors():
    with VECTORS.open(encoding="utf-8") as handle:
        return [(row["code"], row["expected"], row["computed"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize("code,expected,reason", load_vectors())
def test_reference_vectors(code, expected, reason):
    errors = uscc_errors(code)
    if expected.startswith("valid"):
        assert errors == []
    else:
        assert errors, f"{code} should be rejected ({reason})"


def test_reasons_are_chinese_and_name_both_failed_checks():
    errors = uscc_errors("91110000600037342L")
    assert "第18位校验码应为 P，实际为 L" in errors
    assert "第9-17位组织机构代码 600037342 的校验码应为 1，实际为 2" in errors


def test_illegal_characters_are_named():
    (error,) = uscc_errors("9111000060003IOZSV")
    assert "I、O、Z、S、V" in error


def test_length_is_reported():
    assert uscc_errors("91110000600037341") == ["统一社会信用代码应为18位，实际为17位"]


def test_lowercase_and_separators_are_normalised():
    assert normalise_uscc(" 91110000-600037341l ") == "91110000600037341L"


def test_authority_table_mismatch_is_a_warning_not_an_error():
    assert uscc_errors("Y132050007837941XL") == []
    assert uscc_warnings("Y132050007837941XL") == []
    assert uscc_warnings("9411000060003734" + "1L") == ["机构类别码 4 与登记管理部门码 9 不匹配"]
    assert uscc_warnings("A1" + "0" * 16) == ["登记管理部门码 A 不在 GB 32100-2015 表1 中"]


def test_make_uscc_builds_codes_that_validate():
    code = make_uscc("91", "610100", "MA6T0001")
    assert len(code) == 18 and uscc_errors(code) == []
