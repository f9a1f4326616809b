"""The workflow as plain functions: each step, the refusals with their Chinese reasons,
the working-day deadline, the lights and the statistics on a small hand-computed fixture."""

import datetime

import pytest

from yuanqu.core.models import ObjectChange
from yuanqu.demands import services
from yuanqu.demands.choices import DemandStatus as S
from yuanqu.demands.models import Demand, DemandCategory

from .conftest import at


def test_receive_numbers_the_demand_and_the_receiver_holds_it(demand, alice, econ_dept):
    assert demand.number == "SQ2024-0001"
    assert demand.status == S.RECEIVED
    assert demand.holder_user == alice  # 首问负责制
    assert demand.department == econ_dept
    assert [(e.action, e.actor, e.to_status) for e in demand.events.all()] == [("receive", alice, "received")]


def test_numbers_count_up_within_the_year(demand, alice, owned_enterprise, power):
    second = services.receive(
        alice,
        enterprise=owned_enterprise,
        category=power,
        channel="letter",
        title="二",
        description="二",
        received_at=at(2024, 10, 8),
    )
    third = services.receive(
        alice,
        enterprise=owned_enterprise,
        category=power,
        channel="letter",
        title="三",
        description="三",
        received_at=at(2025, 1, 6),
    )
    assert (second.number, third.number) == ("SQ2024-0002", "SQ2025-0001")


def test_deadline_counts_working_days_across_national_day(demand):
    # Received Fri 2024-09-27, 5 working days, receipt day not counted: 09-29 (make-up Sunday),
    # 09-30, 10-08, 10-09, 10-10.
    assert demand.due_on == datetime.date(2024, 10, 10)


def test_assignment_restarts_the_clock_from_the_assignment(demand, alice, invest_dept, econ_dept):
    services.assign(demand, alice, econ_dept, supporting=[invest_dept], at=at(2024, 2, 2))
    # Fri 2024-02-02 + 5 working days = 2024-02-08 (Sunday 02-04 is a make-up working day).
    assert demand.due_on == datetime.date(2024, 2, 8)
    assert list(demand.supporting_departments.all()) == [invest_dept]


def test_the_full_path_to_follow_up(demand, alice, bob, enterprise_user, econ_dept):
    services.assign(demand, alice, econ_dept, text="请经发局牵头协调供电公司", at=at(2024, 9, 27, 11))
    assert (
        demand.status == S.ASSIGNED and demand.holder_user is None and demand.holder_department == econ_dept
    )
    services.accept(demand, bob, at=at(2024, 9, 27, 14))
    services.start(demand, bob, at=at(2024, 9, 29))
    services.answer(demand, bob, "已协调供电公司10月8日完成增容。", at=at(2024, 10, 8))
    services.close(demand, bob, at=at(2024, 10, 9))
    assert demand.status == S.CLOSED and demand.closed_at == at(2024, 10, 9)
    services.follow_up(demand, enterprise_user, "satisfied", "很及时")
    demand.refresh_from_db()
    assert demand.status == S.FOLLOWED_UP and demand.satisfaction == "satisfied"
    assert [e.action for e in demand.events.all()] == [
        "receive",
        "assign",
        "accept",
        "start",
        "answer",
        "close",
        "follow_up",
    ]
    assert [(e.from_status, e.to_status) for e in demand.events.all()][1:3] == [
        ("received", "assigned"),
        ("assigned", "accepted"),
    ]


def test_dissatisfied_follow_up_reopens(demand, alice, bob, enterprise_user, econ_dept):
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    services.answer(demand, bob, "已答复")
    services.close(demand, bob)
    services.follow_up(demand, enterprise_user, "dissatisfied", "问题没有解决")
    demand.refresh_from_db()
    assert demand.status == S.IN_PROGRESS
    assert demand.closed_at is None
    assert demand.satisfaction == "dissatisfied"
    # Back with the department, which answers again.
    services.answer(demand, bob, "再次协调后已解决")
    assert demand.status == S.ANSWERED


@pytest.mark.parametrize(
    "step, args, message",
    [
        (services.accept, (), "诉求SQ2024-0001当前状态为“受理”，不能签收"),
        (services.close, (), "诉求SQ2024-0001当前状态为“受理”，不能办结"),
        (services.answer, ("答复",), "诉求SQ2024-0001当前状态为“受理”，不能答复"),
        (services.start, (), "诉求SQ2024-0001当前状态为“受理”，不能开始办理"),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(demand, alice, step, args, message):
    with pytest.raises(services.IllegalTransition) as exc:
        step(demand, alice, *args)
    assert str(exc.value) == message
    demand.refresh_from_db()
    assert demand.status == S.RECEIVED
    assert demand.events.count() == 1


def test_only_the_holder_may_act(demand, alice, bob, charlie, econ_dept, invest_dept):
    with pytest.raises(services.NotHolder) as exc:
        services.assign(demand, bob, econ_dept)
    assert str(exc.value) == "诉求SQ2024-0001当前由“王丽”承办，您不能交办"
    services.assign(demand, alice, invest_dept)
    with pytest.raises(services.NotHolder):
        services.accept(demand, bob)  # 经济发展局 no longer holds it
    services.accept(demand, charlie)
    assert demand.status == S.ACCEPTED


def test_return_goes_back_to_the_dispatcher_with_the_reason(demand, alice, charlie, invest_dept, econ_dept):
    services.assign(demand, alice, invest_dept)
    with pytest.raises(services.DemandError) as exc:
        services.return_(demand, charlie, "  ")
    assert str(exc.value) == "请填写退回理由"
    services.return_(demand, charlie, "用电增容不属招商局职责")
    assert demand.status == S.RETURNED
    assert demand.holder_user == alice and demand.department == econ_dept
    assert demand.events.last().text == "用电增容不属招商局职责"
    services.assign(demand, alice, econ_dept)
    assert demand.status == S.ASSIGNED


def test_forward_is_tracked_until_acknowledged(demand, alice):
    services.forward(demand, alice, "市供电公司", "属供电企业职责")
    assert demand.status == S.FORWARDED
    assert services.light(demand) is None  # no clock once it left the zone
    services.acknowledge(demand, alice, "供电公司已签收")
    assert demand.forward_acknowledged_at is not None
    with pytest.raises(services.IllegalTransition) as exc:
        services.acknowledge(demand, alice)
    assert str(exc.value) == "诉求SQ2024-0001的转办已确认"


def test_extension_moves_the_deadline_when_a_leader_approves(demand, alice, bob, leader, econ_dept):
    services.assign(demand, alice, econ_dept, at=at(2024, 9, 27))
    services.accept(demand, bob)
    services.request_extension(demand, bob, 3, "需供电公司现场勘察")
    with pytest.raises(services.IllegalTransition) as exc:
        services.request_extension(demand, bob, 2, "再延")
    assert str(exc.value) == "诉求SQ2024-0001已有待审批的延期申请，不能重复申请"
    with pytest.raises(services.NotHolder) as exc:
        services.approve_extension(demand, bob)
    assert str(exc.value) == "只有领导可以审批延期申请"
    services.approve_extension(demand, leader)
    # 2024-10-10 + 3 working days: 10-11 (Fri), 10-12 (make-up Saturday), 10-14 (Mon).
    assert demand.due_on == datetime.date(2024, 10, 14)
    assert demand.extension_days is None
    assert demand.events.last().text == "批准延期3个工作日，办理期限改为2024-10-14"


def test_lights(demand, alice, econ_dept):
    # due 2024-10-10, yellow 1 working day before
    assert services.light(demand, datetime.date(2024, 9, 30)) == "green"
    assert services.light(demand, datetime.date(2024, 10, 9)) == "yellow"
    assert services.light(demand, datetime.date(2024, 10, 10)) == "yellow"
    assert services.light(demand, datetime.date(2024, 10, 11)) == "red"
    # The holiday is not working time: on 10-07 two working days remain, still green.
    assert services.light(demand, datetime.date(2024, 10, 7)) == "green"
    queryset = Demand.objects.all()
    assert queryset.filter(services.light_q("red", datetime.date(2024, 10, 11))).count() == 1
    assert queryset.filter(services.light_q("yellow", datetime.date(2024, 10, 9))).count() == 1
    assert queryset.filter(services.light_q("green", datetime.date(2024, 10, 9))).count() == 0
    assert queryset.filter(services.light_q("green", datetime.date(2024, 9, 30))).count() == 1


def test_a_closed_demand_has_no_light(demand, alice, econ_dept):
    services.assign(demand, alice, econ_dept)
    services.accept(demand, alice)
    services.answer(demand, alice, "已答复")
    services.close(demand, alice)
    assert services.light(demand, datetime.date(2030, 1, 1)) is None


def test_transitions_write_the_change_log(demand, alice, econ_dept):
    services.assign(demand, alice, econ_dept)
    changes = ObjectChange.objects.filter(content_type__model="demand", object_id=str(demand.pk)).order_by(
        "id"
    )
    assert [c.action for c in changes] == ["create", "update"]
    assert changes.last().prechange_data["status"] == "received"
    assert changes.last().postchange_data["status"] == "assigned"
    assert changes.last().message == "交办"


def test_statistics_on_a_small_fixture(
    alice, bob, econ_dept, invest_dept, charlie, owned_enterprise, power, enterprise_user
):
    policy = DemandCategory.objects.get(name="政策咨询")  # 3 working days

    def new(category, when):
        return services.receive(
            alice,
            enterprise=owned_enterprise,
            category=category,
            channel="visit",
            title="t",
            description="d",
            received_at=when,
        )

    # 1: 经发局, received Mon 2024-03-04, due 03-11, closed 03-08 on time, 满意.
    one = new(power, at(2024, 3, 4))
    services.assign(one, alice, econ_dept, at=at(2024, 3, 4))
    services.accept(one, bob, at=at(2024, 3, 4))
    services.answer(one, bob, "a", at=at(2024, 3, 7))
    services.close(one, bob, at=at(2024, 3, 8))
    services.follow_up(one, enterprise_user, "satisfied")
    # 2: 经发局, policy, received Mon 03-04, due 03-07, closed 03-12 late, 不满意 → reopened.
    two = new(policy, at(2024, 3, 4))
    services.assign(two, alice, econ_dept, at=at(2024, 3, 4))
    services.accept(two, bob, at=at(2024, 3, 4))
    services.answer(two, bob, "a", at=at(2024, 3, 12))
    services.close(two, bob, at=at(2024, 3, 12))
    services.follow_up(two, enterprise_user, "dissatisfied")
    # 3: 招商局, received Tue 03-05, closed Tue 03-05 the same day, 基本满意.
    three = new(power, at(2024, 3, 5))
    services.assign(three, alice, invest_dept, at=at(2024, 3, 5))
    services.accept(three, charlie, at=at(2024, 3, 5))
    services.answer(three, charlie, "a", at=at(2024, 3, 5, 15))
    services.close(three, charlie, at=at(2024, 3, 5, 16))
    services.follow_up(three, enterprise_user, "basically")
    # 4: received, never assigned, overdue by 2024-04-01.
    new(power, at(2024, 3, 20))
    # 5: outside the period.
    new(power, at(2024, 4, 2))

    total, rows = services.statistics(
        datetime.date(2024, 3, 1), datetime.date(2024, 3, 31), today=datetime.date(2024, 4, 1)
    )
    assert (total.received, total.assigned, total.closed) == (4, 3, 2)  # two was reopened
    assert total.close_rate == 50.0
    assert total.on_time_rate == 100.0
    assert total.average_workdays == 2.0  # one: 03-04 → 03-08 = 4; three: 0
    assert (total.rated, total.satisfied) == (3, 2)
    assert total.satisfaction_rate == 66.7
    assert total.follow_up_rate == 100.0  # both closed ones were rated
    assert total.overdue == 2  # two (reopened, due 03-07) and four (due 03-27)
    by_department = {r.label: (r.received, r.closed, r.overdue) for r in rows}
    assert by_department == {"经济发展局": (3, 1, 2), "招商局": (1, 1, 0)}

    only_invest, _ = services.statistics(
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 31),
        department=invest_dept,
        today=datetime.date(2024, 4, 1),
    )
    assert (only_invest.received, only_invest.closed, only_invest.satisfaction_rate) == (1, 1, 100.0)
    only_policy, _ = services.statistics(
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 31),
        category=policy,
        today=datetime.date(2024, 4, 1),
    )
    assert only_policy.received == 1
