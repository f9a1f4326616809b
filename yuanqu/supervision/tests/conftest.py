import datetime

import pytest

from yuanqu.supervision.models import RectificationItem, Task, WorkPoint


@pytest.fixture
def work_point(db):
    return WorkPoint.objects.create(year=2024, number="一", title="优化营商环境", source="work_point")


@pytest.fixture
def task(work_point, econ_dept, leader):
    """经济发展局 leads; monthly reports from 2024-05-07, due Monday 2024-09-30."""
    return Task.objects.create(
        number="2024-001",
        work_point=work_point,
        text="推进企业服务专员制度全覆盖",
        target="规上企业服务专员覆盖率100%",
        department=econ_dept,
        leader=leader,
        report_cycle="monthly",
        start_on=datetime.date(2024, 5, 7),
        due_on=datetime.date(2024, 9, 30),
        status="on_track",
    )


@pytest.fixture
def other_task(work_point, invest_dept):
    """招商局 leads."""
    return Task.objects.create(
        number="2024-002",
        work_point=work_point,
        text="新签约亿元以上项目20个",
        department=invest_dept,
        report_cycle="weekly",
        start_on=datetime.date(2024, 1, 2),
        due_on=datetime.date(2024, 12, 31),
        status="on_track",
    )


@pytest.fixture
def item(econ_dept):
    return RectificationItem.objects.create(
        list_name="2024年营商环境专项督查整改清单",
        number="1",
        problem="涉企检查多头重复",
        requirement="检查频次减少30%",
        measures="推行“综合查一次”",
        department=econ_dept,
        due_on=datetime.date(2024, 10, 31),
    )
