"""The probe's reproductions (issue 12, finding 5): malformed, negative and huge parameters on
every API list and every list page, non-integer ids on workflow steps, huge numbers posted,
dates outside the working-day calendar and a stored control character are each a Chinese
message (a 400 or a form error) or a bounded answer — never a server error.

A small demo zone is built once for the module (inside a transaction rolled back at the end),
so every list has rows: DRF only reaches the database with the limit when the list is not
empty.
"""

import io

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from yuanqu.utilities.api import MAX_LIMIT
from yuanqu.utilities.testing.database import rolled_back
from yuanqu.utilities.views import MAX_PER_PAGE, ObjectListView

HUGE = str(2**63)  # one past the database's largest integer
SIXTY_NINES = "9" * 60
ESC = "\x1b"


def named_patterns(patterns=None, namespace=""):
    """(full URL name, pattern) of every named URL."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


API_LISTS = sorted({name for name, _ in named_patterns() if name.endswith("-list") and "-api:" in name})
LIST_PAGES = sorted(
    {
        name
        for name, pattern in named_patterns()
        if issubclass(getattr(pattern.callback, "view_class", type), ObjectListView)
        and not getattr(pattern.pattern, "converters", {})
    }
)


@pytest.fixture(scope="module")
def demo_zone(django_db_setup, django_db_blocker):
    from yuanqu.demands.demo import generate_demands
    from yuanqu.economy.demo import generate_economy
    from yuanqu.enterprises import demo
    from yuanqu.evaluation.demo import generate_evaluation
    from yuanqu.investment.demo import generate_investment
    from yuanqu.projects.demo import generate_projects
    from yuanqu.supervision.demo import generate_supervision

    with rolled_back(django_db_blocker):
        demo.generate(10, demo.DEFAULT_SEED)
        generate_economy()
        generate_evaluation()
        generate_demands(total=10)
        generate_projects()
        generate_supervision()
        generate_investment()
        yield


def demo_user(username):
    from yuanqu.users.models import User

    return User.objects.get(username=username)


@pytest.fixture
def api(demo_zone, db):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(demo_user("leader"))
    return client


@pytest.fixture
def page(demo_zone, db):
    client = Client(raise_request_exception=False)
    client.force_login(demo_user("leader"))
    return client


def test_the_walk_finds_every_api_list_and_list_page():
    assert {
        "enterprises-api:enterprise-list",
        "demands-api:demand-list",
        "economy-api:indicator-list",
    } <= set(API_LISTS)
    assert len(API_LISTS) >= 18
    assert {"enterprises:enterprise_list", "demands:demand_list", "supervision:task_list"} <= set(LIST_PAGES)
    assert len(LIST_PAGES) >= 25


@pytest.mark.parametrize("name", API_LISTS)
def test_every_api_list_bounds_limit_and_offset(api, name):
    url = reverse(name)
    listed = api.get(url)
    assert listed.status_code == 200 and listed.json()["count"] > 0, name  # the database is reached
    for params, parameter in (
        ({"limit": HUGE}, "limit"),
        ({"limit": SIXTY_NINES}, "limit"),
        ({"limit": MAX_LIMIT + 1}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"offset": -5}, "offset"),
        ({"offset": HUGE}, "offset"),
        ({"offset": "x"}, "offset"),
        ({"limit": 2**62, "offset": 2**62}, "limit"),
    ):
        response = api.get(url, params)
        assert response.status_code == 400, (name, params, response.status_code)
        message = response.json()[parameter][0]
        assert f"参数 {parameter}=" in message and "无效" in message, message
    biggest = api.get(url, {"limit": MAX_LIMIT, "offset": 1})
    assert biggest.status_code == 200
    assert len(biggest.json()["results"]) == min(MAX_LIMIT, listed.json()["count"] - 1)


def open_as_someone(page, url):
    """Sign the client in as the first demo role the list opens for (the audit and account
    lists are the administrators')."""
    for username in ("leader", "auditor", "secadmin", "sysadmin"):
        page.force_login(demo_user(username))
        if page.get(url).status_code != 403:
            return username
    raise AssertionError(f"{url} opens for no demo role")


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_list_page_bounds_its_page_and_size(page, name):
    url = reverse(name)
    open_as_someone(page, url)
    for params in (
        {"per_page": -1},
        {"per_page": 0},
        {"per_page": 10**20},
        {"per_page": "abc"},
        {"page": "abc"},
        {"page": -1},
        {"page": 10**20},
        {"year": -1, "period": "2026-13"},
        {"year": 99999, "period": "-1"},
    ):
        response = page.get(url, params)
        assert response.status_code == 200, (name, params, response.status_code)
        table = response.context["table"]
        assert 1 <= table.paginator.per_page <= MAX_PER_PAGE, (name, params)
        assert 1 <= table.page.number <= table.paginator.num_pages, (name, params)


def test_a_page_size_within_bounds_is_kept_and_a_far_page_is_the_last(page):
    response = page.get(reverse("enterprises:enterprise_list"), {"per_page": 3, "page": 10**20})
    table = response.context["table"]
    assert table.paginator.per_page == 3
    assert table.page.number == table.paginator.num_pages > 1
    response = page.get(reverse("enterprises:enterprise_list"), {"per_page": -1})
    assert response.context["table"].paginator.per_page == 25  # the page's default


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-", SIXTY_NINES])
def test_workflow_steps_with_a_bad_id_answer_404(api, page, bad_id):
    from yuanqu.demands.views import ACTION_VIEWS

    staff = APIClient(raise_request_exception=False)
    staff.force_authenticate(demo_user("staff"))
    for step in ACTION_VIEWS:
        response = staff.post(f"/api/demands/{bad_id}/{step.replace('_', '-')}/", {}, format="json")
        assert response.status_code == 404, (step, bad_id, response.status_code)
    assert staff.post(f"/api/leads/{bad_id}/move/", {"stage": "signed"}, format="json").status_code == 404
    if bad_id.isdigit():  # the pages' routes take digits only
        page.force_login(demo_user("staff"))
        for name in ("demands:demand_assign", "supervision:task_cancel", "supervision:task_urge"):
            assert page.post(reverse(name, args=[bad_id])).status_code == 404, name


def test_huge_numbers_posted_to_forms_are_form_errors(page):
    page.force_login(demo_user("staff"))
    response = page.post(reverse("investment:lead_add"), {"team": [HUGE], "name": "某项目"})
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    response = page.post(reverse("supervision:task_add"), {"supporting_departments": [SIXTY_NINES]})
    assert response.status_code == 200
    assert "supporting_departments" in response.context["form"].errors


@pytest.mark.parametrize("value", [10**30, -(10**30), 1e308, [1, 2], {"a": 1}, True])
def test_json_numbers_in_form_backed_api_fields_are_400s(api, value):
    staff = APIClient(raise_request_exception=False)
    staff.force_authenticate(demo_user("staff"))
    demand = staff.post("/api/demands/", {"received_at": value, "title": value}, format="json")
    assert demand.status_code == 400, demand.status_code
    task = staff.post("/api/supervision-tasks/", {"start_on": value, "due_on": value}, format="json")
    assert task.status_code == 400, task.status_code
    assert "start_on" in task.json() or "due_on" in task.json()


@pytest.mark.parametrize("body", [[], [["a", 1]], "text", 5, None])
def test_a_json_body_that_is_no_object_is_a_400(api, body):
    staff = APIClient(raise_request_exception=False)
    staff.force_authenticate(demo_user("staff"))
    for url in ("/api/demands/", "/api/supervision-tasks/"):
        response = staff.post(url, body, format="json")
        assert response.status_code == 400, (url, body, response.status_code)


def demand_data(received_at):
    from yuanqu.demands.models import DemandCategory
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.users.permissions import restrict

    staff = demo_user("staff")
    return {
        "enterprise": restrict(Enterprise.objects.all(), staff, "view").first().pk,
        "category": DemandCategory.objects.filter(active=True).first().pk,
        "channel": "visit",
        "title": "厂区道路破损",
        "description": "请协调修复",
        "received_at": received_at,
    }


def test_a_demand_dated_outside_the_calendar_is_a_form_error_and_a_400(page):
    from yuanqu.demands.models import Demand

    before = Demand.objects.count()
    page.force_login(demo_user("staff"))
    response = page.post(reverse("demands:demand_add"), demand_data("1990-03-01T10:00"))
    assert response.status_code == 200
    errors = response.context["form"].errors["received_at"]
    assert "受理时间1990-03-01超出工作日历：工作日历缺少1990年的节假日安排" in errors[0]
    staff = APIClient(raise_request_exception=False)
    staff.force_authenticate(demo_user("staff"))
    response = staff.post("/api/demands/", demand_data("1990-03-01T10:00"), format="json")
    assert response.status_code == 400
    assert "工作日历缺少1990年" in response.json()["received_at"][0]
    response = staff.post("/api/demands/", demand_data("2100-03-01T10:00"), format="json")
    assert response.status_code == 400 and response.json()["received_at"] == ["受理时间不能晚于当前时间"]
    assert Demand.objects.count() == before


def test_a_deadline_reaching_a_year_the_calendar_lacks_is_a_message(page, monkeypatch):
    """Received in a known year, due in one the calendar lacks (the last weeks of a year
    before the next year's notice is entered)."""
    from yuanqu.core import workdays
    from yuanqu.demands.models import Demand

    before = Demand.objects.count()
    monkeypatch.setattr(workdays, "LIBRARY_YEARS", range(2004, 2026))  # 2026 not yet published
    page.force_login(demo_user("staff"))
    response = page.post(reverse("demands:demand_add"), demand_data("2025-12-30T10:00"))
    assert response.status_code == 200
    assert "工作日历缺少2026年的节假日安排" in str(response.context["form"].non_field_errors())
    staff = APIClient(raise_request_exception=False)
    staff.force_authenticate(demo_user("staff"))
    response = staff.post("/api/demands/", demand_data("2025-12-30T10:00"), format="json")
    assert response.status_code == 400
    assert "工作日历缺少2026年的节假日安排" in response.json()["non_field_errors"][0]
    assert Demand.objects.count() == before


def test_a_task_due_long_before_the_calendar_keeps_every_page_open(page):
    from yuanqu.supervision.models import Task, WorkPoint

    staff = APIClient(raise_request_exception=False)
    staff.force_authenticate(demo_user("staff"))
    user = demo_user("staff")
    response = staff.post(
        "/api/supervision-tasks/",
        {
            "number": "1990-1",
            "work_point": WorkPoint.objects.first().pk,
            "text": "旧账清理",
            "department": user.department_id,
            "report_cycle": "monthly",
            "start_on": "1990-03-01",
            "due_on": "1990-06-30",
            "status": "on_track",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["light"] == "red"
    task = Task.objects.get(number="1990-1")
    page.force_login(user)
    for url in (
        "/tasks/",
        "/tasks/board/",
        "/tasks/overdue/",
        "/tasks/mine/",
        "/my-work/",
        f"/tasks/{task.pk}/",
    ):
        assert page.get(url).status_code == 200, url
    response = staff.post(
        "/api/supervision-tasks/", {"start_on": "0001-01-01", "due_on": "9999-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert "日期0001-01-01超出范围，年份应在1900–2999之间" in response.json()["start_on"]


@pytest.fixture
def escaped_names(demo_zone, db):
    """A control character stored in every enterprise's name and short name, as an old
    import or a direct database edit left it."""
    from yuanqu.enterprises.models import Enterprise

    for enterprise in Enterprise.objects.all():
        Enterprise.objects.filter(pk=enterprise.pk).update(
            name=enterprise.name[:2] + ESC + enterprise.name[2:],
            short_name=(enterprise.short_name or enterprise.name[:4]) + ESC,
        )


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_export_works_with_a_stored_control_character(page, escaped_names, name):
    open_as_someone(page, reverse(name))
    response = page.get(reverse(name), {"export": "xlsx"})
    if response.status_code == 403:  # a list this role reads but may not export
        return
    assert response.status_code == 200, (name, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    text = "".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert ESC not in text and "_x001B_" not in text, name


def test_the_enterprise_export_shows_the_name_without_the_control_character(page, escaped_names):
    from yuanqu.enterprises.models import Enterprise

    stored = Enterprise.objects.order_by("pk").first()
    response = page.get(reverse("enterprises:enterprise_list"), {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert stored.name.replace(ESC, "") in [row[0] for row in rows]


def test_a_control_character_typed_is_refused_naming_the_field(page):
    from yuanqu.core.models import ObjectChange
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.users.permissions import restrict

    staff = demo_user("staff")
    enterprise = restrict(Enterprise.objects.all(), staff, "change").first()
    changes = ObjectChange.objects.count()
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(staff)
    response = api.patch(
        f"/api/enterprises/{enterprise.pk}/", {"short_name": "东区" + ESC + "精密"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["short_name"] == [
        "“简称”第3个字符是不可见的控制字符（U+001B），请删除后重新填写（常见于从其他系统复制粘贴的文字）"
    ]
    page.force_login(staff)
    form = page.get(reverse("enterprises:enterprise_edit", args=[enterprise.pk])).context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data = {k: v for k, v in data.items() if not isinstance(v, list | dict)}
    data["short_name"] = "东区" + ESC + "精密"
    response = page.post(reverse("enterprises:enterprise_edit", args=[enterprise.pk]), data)
    assert response.status_code == 200
    assert "“简称”第3个字符是不可见的控制字符（U+001B）" in response.context["form"].errors["short_name"][0]
    assert ObjectChange.objects.count() == changes
    enterprise.refresh_from_db()
    assert ESC not in enterprise.short_name
