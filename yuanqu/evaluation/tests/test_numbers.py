"""The result page reads values, weights and points as people write them: no .0000 tails."""

import re

import pytest

from .test_views import evaluated, result_of  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_result_tables_have_no_zero_tails(client, leader, evaluated):  # noqa: F811
    client.force_login(leader)
    html = client.get(result_of(evaluated["owned"]).get_absolute_url()).content.decode()
    tables = re.search(
        r'<section class="panel" id="indicators">.*?id="inputs">.*?</section>', html, re.S
    ).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', tables)
    assert cells and "115.71" in html
    assert not [c for c in cells if re.search(r"\.0+$|E\+", c)], cells  # no 20.0000, 40.00, 2E+1
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", c) for c in cells), cells  # large values grouped


def test_stored_values_are_plain_decimals(evaluated):  # noqa: F811
    """A whole value is kept as "20", never "2E+1", so the change history reads as the page does."""
    result = result_of(evaluated["owned"])
    stored = [item[key] for item in result.values.values() for key in ("value", "points")]
    stored += [item["value"] for item in result.inputs.values()]
    texts = [v for v in stored if isinstance(v, str)]
    assert any(re.fullmatch(r"-?\d+", v) for v in texts), texts  # some whole values to check
    assert not [v for v in texts if "E" in v.upper()], texts
