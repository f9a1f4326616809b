"""Workflow steps taken twice at once apply once (issue 12, finding 4).

A step's view reads the record, the service checks the state and saves. Two people pressing
the same button at once (or one from a page opened before the other's step) both held a
record that still showed the old state, so both passed the check: two 签收 events, a task
cancelled twice, a blocker converted twice. The services now read the record again under a
row lock inside their transaction (``utilities.concurrency.refresh_locked``) and check that.
Here each test holds two copies of one record as the two requests did and takes the step
with both: the second is refused and only one step is written.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yuanqu.demands import services as demands
from yuanqu.demands.models import Demand, DemandCategory, DemandEvent
from yuanqu.investment import services as investment
from yuanqu.investment.models import Lead, LeadEvent
from yuanqu.projects.models import Blocker, KeyProject
from yuanqu.projects.services.conversions import blocker_to_task
from yuanqu.supervision import services as supervision
from yuanqu.supervision.models import RectificationItem, Task, TaskUrge, WorkPoint
from yuanqu.utilities.testing.changes import assert_nothing_changed

pytestmark = pytest.mark.django_db

D = datetime.date


def twice(model, pk):
    """The record as two requests read it, before either acted."""
    return model.objects.get(pk=pk), model.objects.get(pk=pk)


@pytest.fixture
def assigned(alice, owned_enterprise, econ_dept):
    demand = demands.receive(
        alice,
        enterprise=owned_enterprise,
        category=DemandCategory.objects.get(name="用电"),
        channel="visit",
        title="新厂房临时用电增容",
        description="新厂房投产需要增容至800千伏安。",
    )
    return demands.assign(demand, alice, econ_dept)


def test_a_demand_step_taken_twice_at_once_applies_once(assigned, alice, bob):
    mine, theirs = twice(Demand, assigned.pk)
    demands.accept(theirs, bob)
    with assert_nothing_changed(Demand, DemandEvent):
        with pytest.raises(demands.IllegalTransition, match="当前状态为“签收”，不能签收"):
            demands.accept(mine, alice)
    assert DemandEvent.objects.filter(demand=assigned, action="accept").count() == 1
    assert mine.status == "accepted"  # the refused request now holds the demand as stored


def test_an_extension_approved_twice_moves_the_deadline_once(assigned, bob, leader):
    demands.request_extension(Demand.objects.get(pk=assigned.pk), bob, 3, "需供电公司现场勘查")
    mine, theirs = twice(Demand, assigned.pk)
    demands.approve_extension(theirs, leader)
    due = Demand.objects.get(pk=assigned.pk).due_on
    with assert_nothing_changed(Demand, DemandEvent):
        with pytest.raises(demands.IllegalTransition, match="没有待审批的延期申请"):
            demands.approve_extension(mine, leader)
    assert Demand.objects.get(pk=assigned.pk).due_on == due


@pytest.fixture
def task(econ_dept, leader):
    point = WorkPoint.objects.create(year=2025, number="01", title="优化营商环境", source="work_point")
    return Task.objects.create(
        number="DB2025-001",
        work_point=point,
        text="推进企业服务专员制度全覆盖",
        department=econ_dept,
        leader=leader,
        report_cycle="monthly",
        start_on=D(2025, 1, 2),
        due_on=D(2025, 9, 30),
        status="on_track",
    )


def test_a_task_cancelled_twice_at_once_is_cancelled_once(task):
    mine, theirs = twice(Task, task.pk)
    supervision.cancel_task(theirs, "工作调整")
    with assert_nothing_changed(Task):
        with pytest.raises(supervision.SupervisionError, match="当前状态为“已取消”，不能取消"):
            supervision.cancel_task(mine, "重复安排")
    assert Task.objects.get(pk=task.pk).cancel_reason == "工作调整"


def test_no_urge_on_a_task_cancelled_meanwhile(task, inspector):
    stale, other = twice(Task, task.pk)
    supervision.cancel_task(other, "工作调整")
    with assert_nothing_changed(TaskUrge):
        with pytest.raises(supervision.SupervisionError, match="无需催办"):
            supervision.urge(stale, inspector, "请加快进度")


@pytest.fixture
def item(econ_dept):
    return RectificationItem.objects.create(
        list_name="营商环境问题整改",
        number="1",
        problem="审批时限过长",
        due_on=D(2025, 6, 30),
        department=econ_dept,
    )


def test_an_item_closed_twice_at_once_is_closed_once(item):
    mine, theirs = twice(RectificationItem, item.pk)
    supervision.close_item(theirs, "已压缩至5个工作日", today=D(2025, 6, 1))
    with assert_nothing_changed(RectificationItem):
        with pytest.raises(supervision.SupervisionError, match="已于2025-06-01销号"):
            supervision.close_item(mine, "另一份佐证", today=D(2025, 6, 2))


@pytest.fixture
def lead(econ_dept, leader):
    return Lead.objects.create(
        name="新能源电池项目",
        investor="某某新能源集团",
        origin_region="yangtze",
        origin_city="宁波",
        contracted_investment_wan=Decimal("5000"),
        source="business",
        leader=leader,
        department=econ_dept,
        lead_on=D(2025, 3, 1),
        stage="lead",
        stage_changed_on=D(2025, 3, 1),
    )


def test_a_lead_moved_twice_at_once_moves_once(lead, alice, bob):
    mine, theirs = twice(Lead, lead.pk)
    investment.move_stage(theirs, "negotiating", bob, date=D(2025, 4, 1))
    with assert_nothing_changed(Lead, LeadEvent):
        with pytest.raises(investment.StageError, match="已处于“洽谈”阶段"):
            investment.move_stage(mine, "negotiating", alice, date=D(2025, 4, 2))


def test_a_blocker_converted_twice_at_once_is_converted_once(econ_dept, leader, alice):
    project = KeyProject.objects.create(
        code="XM-2025-001",
        name="智能装备产业园",
        type="industry",
        total_investment_wan=Decimal("50000"),
        leader=leader,
        department=econ_dept,
    )
    blocker = Blocker.objects.create(
        project=project, kind="power", description="双回路供电未接入", owner_department=econ_dept
    )
    point = WorkPoint.objects.create(year=2025, number="02", title="重点项目攻坚", source="work_point")
    mine, theirs = twice(Blocker, blocker.pk)
    due = datetime.date.today() + datetime.timedelta(days=30)
    blocker_to_task(theirs, alice, point, due)
    with assert_nothing_changed(Task, Blocker):
        with pytest.raises(ValidationError, match="已转为督办任务"):
            blocker_to_task(mine, alice, point, due)
    assert Task.objects.filter(text__contains="双回路供电未接入").count() == 1
