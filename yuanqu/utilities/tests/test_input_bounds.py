"""The bounds the shared layer puts on input: the API's limit and offset, a list page's size
and number, integers, ids and dates in forms, JSON values handed to a page's form, control
characters, and the 404 of a workflow step named by something that is no id."""

import datetime

import pytest
from django import forms
from django.http import Http404
from django.test import RequestFactory
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from yuanqu.users.models import Department
from yuanqu.utilities.api import MAX_LIMIT, MAX_OFFSET, BoundedLimitOffsetPagination
from yuanqu.utilities.forms import INTEGER_MAX, BaseForm, ModelMultipleChoiceField, plain_data
from yuanqu.utilities.grants import get_for_action
from yuanqu.utilities.text import control_character_error, printable


def pagination(**params):
    paginator = BoundedLimitOffsetPagination()
    request = Request(RequestFactory().get("/api/x/", params))
    return paginator.get_limit(request), paginator.get_offset(request)


def test_limit_and_offset_within_bounds_are_taken():
    assert pagination() == (50, 0)  # PAGE_SIZE
    assert pagination(limit=MAX_LIMIT, offset=MAX_OFFSET) == (MAX_LIMIT, MAX_OFFSET)
    assert pagination(limit=" 7 ", offset="0") == (7, 0)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"limit": str(2**63)}, f"参数 limit=“{2**63}”无效，应为 1–1000 的整数（每页条数）"),
        ({"limit": "1001"}, "参数 limit=“1001”无效，应为 1–1000 的整数（每页条数）"),
        ({"limit": "-1"}, "参数 limit=“-1”无效，应为 1–1000 的整数（每页条数）"),
        ({"limit": "0"}, "参数 limit=“0”无效，应为 1–1000 的整数（每页条数）"),
        ({"limit": "１０"}, "参数 limit=“１０”无效，应为 1–1000 的整数（每页条数）"),  # full-width digits
        ({"offset": "-5"}, f"参数 offset=“-5”无效，应为 0–{MAX_OFFSET} 的整数（跳过的条数）"),
        ({"offset": "9" * 5000}, f"参数 offset=“{'9' * 50}”无效，应为 0–{MAX_OFFSET} 的整数（跳过的条数）"),
    ],
)
def test_limit_and_offset_outside_bounds_are_400s_naming_the_parameter(params, message):
    with pytest.raises(ValidationError) as caught:
        pagination(**params)
    assert caught.value.detail == {next(iter(params)): [message]}


class NumbersForm(BaseForm):
    count = forms.IntegerField(label="数量")
    days = forms.IntegerField(label="天数", min_value=1, max_value=60)
    day = forms.DateField(label="日期")
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(), label="部门", required=False
    )
    note = forms.CharField(label="说明", required=False)


@pytest.mark.django_db
def test_integers_are_bounded_to_the_database_and_declared_bounds_stay():
    form = NumbersForm(data={"count": str(2**63), "days": "61", "day": "2026-01-02"})
    assert not form.is_valid()
    assert form.errors["count"] == [f"确保该值小于或等于{INTEGER_MAX}。"]
    assert form.errors["days"] == ["确保该值小于或等于60。"]
    assert NumbersForm(data={"count": str(INTEGER_MAX), "days": "60", "day": "2026-01-02"}).is_valid()


@pytest.mark.django_db
def test_an_id_past_the_database_integers_is_an_unknown_choice(econ_dept):
    assert isinstance(NumbersForm().fields["departments"], ModelMultipleChoiceField)
    data = {"count": "1", "days": "1", "day": "2026-01-02"}
    form = NumbersForm(data={**data, "departments": [str(econ_dept.pk), "9" * 30]})
    assert not form.is_valid() and "departments" in form.errors
    form = NumbersForm(data={**data, "departments": [str(econ_dept.pk)]})
    assert form.is_valid() and list(form.cleaned_data["departments"]) == [econ_dept]


@pytest.mark.django_db
@pytest.mark.parametrize("day, shown", [("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31")])
def test_dates_outside_the_years_a_record_may_name_are_refused(day, shown):
    form = NumbersForm(data={"count": "1", "days": "1", "day": day})
    assert form.errors["day"] == [f"日期{shown}超出范围，年份应在1900–2999之间"]


def test_json_values_a_date_field_cannot_take_are_read_as_text():
    fields = NumbersForm.base_fields
    given = {"day": 10**30, "note": ["a"], "departments": [1, 2], "count": 5, "other": 1.5}
    assert plain_data(given, fields) == {
        "day": str(10**30),
        "note": "['a']",
        "departments": [1, 2],
        "count": 5,
        "other": 1.5,
    }
    importer_values = {"day": datetime.date(2024, 1, 2), "count": 3}
    assert plain_data(importer_values, fields) == importer_values  # an importer's values stay


@pytest.mark.django_db
@pytest.mark.parametrize("value", [10**30, 1e308, True, {"a": 1}, [1]])
def test_a_form_fed_json_answers_with_errors_not_exceptions(value):
    form = NumbersForm(data={"count": value, "days": value, "day": value, "note": value})
    assert not form.is_valid() and "day" in form.errors


@pytest.mark.django_db
def test_a_control_character_typed_is_a_field_error_naming_the_field():
    form = NumbersForm(data={"count": "1", "days": "1", "day": "2026-01-02", "note": "第一\x08行"})
    assert form.errors["note"] == [
        "“说明”第3个字符是不可见的控制字符（U+0008），请删除后重新填写（常见于从其他系统复制粘贴的文字）"
    ]
    assert NumbersForm(data={"count": "1", "days": "1", "day": "2026-01-02", "note": "第一\n行\t"}).is_valid()


def test_printable_keeps_text_and_drops_control_characters():
    assert printable("东区精密") == "东区精密"
    assert printable("东区\x1b精密\x00\x7f") == "东区精密"
    assert printable("两行\n文字\t") == "两行\n文字\t"  # line feed and tab are text
    assert control_character_error("正常文字") == ""
    assert control_character_error("A\x1bB", "简称").startswith("“简称”第2个字符是不可见的控制字符（U+001B）")


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["abc", "1.5", "", None, "9" * 30])
def test_a_workflow_step_named_by_no_id_is_404(alice, pk):
    with pytest.raises(Http404):
        get_for_action(Department, pk, alice)
