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


def _answered(demand, alice, bob, econ_dept, at_=None):
    services.assign(demand, alice, econ_dept, at=at_)
    services.accept(demand, bob, at=at_)
    services.answer(demand, bob, "已协调供电公司10月8日完成增容。", at=at_)
    return demand


def _snapshot(demand):
    demand.refresh_from_db()
    return (
        demand.status,
        demand.satisfaction,
        demand.closed_at,
        demand.followed_up_at,
        demand.follow_up_contact,
        demand.due_on,
        demand.events.count(),
        ObjectChange.objects.filter(content_type__model="demand", object_id=str(demand.pk)).count(),
    )


def test_the_full_path_to_the_enterprise_confirmation(demand, alice, bob, enterprise_user, econ_dept):
    services.assign(demand, alice, econ_dept, text="请经发局牵头协调供电公司", at=at(2024, 9, 27, 11))
    assert (
        demand.status == S.ASSIGNED and demand.holder_user is None and demand.holder_department == econ_dept
    )
    services.accept(demand, bob, at=at(2024, 9, 27, 14))
    services.start(demand, bob, at=at(2024, 9, 29))
    services.answer(demand, bob, "已协调供电公司10月8日完成增容。", at=at(2024, 10, 8))
    # Answered, not closed: the holder has no step left, the enterprise confirms.
    assert demand.status == S.ANSWERED and demand.closed_at is None
    assert services.available_actions(bob, demand) == []
    assert services.available_actions(enterprise_user, demand) == ["confirm", "reopen"]
    assert services.light(demand, datetime.date(2030, 1, 1)) is None  # the clock stopped at 答复
    services.confirm(demand, enterprise_user, "satisfied", "很及时", at=at(2024, 10, 9))
    demand.refresh_from_db()
    assert demand.status == S.CLOSED and demand.satisfaction == "satisfied"
    assert demand.closed_at == demand.followed_up_at == at(2024, 10, 9)
    assert [(e.action, e.actor, e.from_status, e.to_status) for e in demand.events.all()][4:] == [
        ("answer", bob, "in_progress", "answered"),
        ("confirm", enterprise_user, "answered", "closed"),
    ]
    assert [e.action for e in demand.events.all()][:4] == ["receive", "assign", "accept", "start"]
    assert services.available_actions(enterprise_user, demand) == []


def test_answering_notifies_the_enterprise_users(demand, alice, bob, enterprise_user, econ_dept):
    from yuanqu.notifications.models import Notification

    _answered(demand, alice, bob, econ_dept)
    note = Notification.objects.get(kind="demand_workflow")
    assert note.recipient == enterprise_user and note.title == "诉求SQ2024-0001已答复，请确认"
    assert note.link == demand.get_absolute_url()


def test_reopen_sends_it_back_to_the_department_with_a_new_deadline(
    demand, alice, bob, enterprise_user, econ_dept
):
    from yuanqu.notifications.models import Notification

    _answered(demand, alice, bob, econ_dept, at(2024, 9, 27))
    demand.escalation_level = "urge"
    with pytest.raises(services.DemandError) as exc:
        services.reopen(demand, enterprise_user, "  ")
    assert str(exc.value) == "请填写重新办理的理由"
    services.reopen(demand, enterprise_user, "增容后仍跳闸", at=at(2024, 10, 14))
    demand.refresh_from_db()
    assert demand.status == S.IN_PROGRESS and demand.holder_department == econ_dept
    assert demand.satisfaction == "" and demand.answered_at is None and demand.escalation_level == ""
    # 5 working days from Mon 2024-10-14.
    assert demand.due_on == datetime.date(2024, 10, 21)
    event = demand.events.last()
    assert (event.action, event.actor, event.text) == (
        "reopen",
        enterprise_user,
        "不满意，要求重新办理：增容后仍跳闸",
    )
    assert set(
        Notification.objects.filter(title="诉求SQ2024-0001被要求重新办理").values_list(
            "recipient__username", flat=True
        )
    ) == {"alice", "bob"}
    # The department answers again and the enterprise confirms this time.
    services.answer(demand, bob, "已更换开关柜")
    services.confirm(demand, enterprise_user, "basically")
    assert demand.status == S.CLOSED and demand.satisfaction == "basically"


def test_call_back_when_the_enterprise_has_no_account(demand, alice, bob, econ_dept):
    _answered(demand, alice, bob, econ_dept, at(2024, 10, 8))
    assert services.available_actions(bob, demand) == ["reopen", "follow_up"]
    with pytest.raises(services.DemandError) as exc:
        services.follow_up(demand, bob, "satisfied", "  ")
    assert str(exc.value) == "请填写回访对象（接听电话的企业人员）"
    with pytest.raises(services.DemandError) as exc:
        services.follow_up(demand, bob, "satisfied", "张经理", at=at(2024, 10, 7))
    assert str(exc.value) == "回访时间不能早于答复时间2024-10-08 10:00"
    with pytest.raises(services.DemandError) as exc:
        services.follow_up(demand, bob, "great", "张经理")
    assert str(exc.value) == "请选择满意度（满意、基本满意、不满意）"
    services.follow_up(demand, bob, "dissatisfied", "张经理 13800000000", "嫌慢", at=at(2024, 10, 9))
    demand.refresh_from_db()
    assert demand.status == S.CLOSED and demand.satisfaction == "dissatisfied"
    assert demand.follow_up_contact == "张经理 13800000000" and demand.closed_at == at(2024, 10, 9)
    assert (demand.events.last().action, demand.events.last().actor) == ("follow_up", bob)


def test_the_holder_reopens_for_an_enterprise_without_account(demand, alice, bob, econ_dept):
    _answered(demand, alice, bob, econ_dept)
    services.reopen(demand, bob, "电话回访：企业称问题仍未解决")
    assert demand.status == S.IN_PROGRESS


@pytest.mark.parametrize(
    "who, step, args, error, message",
    [
        # Wrong actor.
        (
            "bob",
            services.confirm,
            ("satisfied",),
            services.NotHolder,
            "只有提出诉求的企业（东区精密机械有限公司）可以确认办结",
        ),
        (
            "stranger",
            services.confirm,
            ("satisfied",),
            services.NotHolder,
            "只有提出诉求的企业（东区精密机械有限公司）可以确认办结",
        ),
        ("stranger", services.reopen, ("不行",), services.NotHolder, None),
        ("bob", services.reopen, ("不行",), services.NotHolder, None),  # the enterprise has an account
        ("charlie", services.follow_up, ("satisfied", "张经理"), services.IllegalTransition, None),
        # A call-back while the enterprise has its own account.
        (
            "bob",
            services.follow_up,
            ("satisfied", "张经理"),
            services.IllegalTransition,
            "东区精密机械有限公司有企业端账号，诉求SQ2024-0001须由企业在企业端确认办结，不能电话回访",
        ),
    ],
)
def test_closing_refusals_change_nothing(
    demand, alice, bob, charlie, econ_dept, enterprise_user, other_enterprise, who, step, args, error, message
):
    from yuanqu.users.choices import Role
    from yuanqu.utilities.testing import factories as f

    users = {
        "bob": bob,
        "charlie": charlie,
        "stranger": f.user(
            "stranger", Role.ENTERPRISE, other_enterprise.department, enterprise=other_enterprise
        ),
    }
    _answered(demand, alice, bob, econ_dept)
    before = _snapshot(demand)
    with pytest.raises(error) as exc:
        step(demand, users[who], *args)
    if message:
        assert str(exc.value) == message
    assert _snapshot(demand) == before


def test_holder_not_of_the_department_may_not_call_back(demand, alice, bob, charlie, econ_dept):
    _answered(demand, alice, bob, econ_dept)
    before = _snapshot(demand)
    with pytest.raises(services.NotHolder) as exc:
        services.follow_up(demand, charlie, "satisfied", "张经理")
    assert str(exc.value) == "诉求SQ2024-0001当前由“经济发展局”承办，您不能回访"
    assert _snapshot(demand) == before


@pytest.mark.parametrize(
    "step, args",
    [
        (services.confirm, ("satisfied",)),
        (services.reopen, ("不行",)),
        (services.follow_up, ("satisfied", "张经理")),
    ],
)
def test_closing_steps_need_an_answered_demand(demand, alice, bob, econ_dept, enterprise_user, step, args):
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    actor = bob if step is services.follow_up else enterprise_user
    before = _snapshot(demand)
    with pytest.raises(services.IllegalTransition) as exc:
        step(demand, actor, *args)
    assert str(exc.value).startswith("诉求SQ2024-0001当前状态为“签收”，不能")
    assert _snapshot(demand) == before
    # …and a closed demand cannot be confirmed again.
    services.answer(demand, bob, "答复")
    services.confirm(demand, enterprise_user, "satisfied")
    before = _snapshot(demand)
    with pytest.raises(services.IllegalTransition):
        services.confirm(demand, enterprise_user, "dissatisfied")
    assert _snapshot(demand) == before


def test_an_inactive_enterprise_account_counts_as_none(demand, alice, bob, econ_dept, enterprise_user):
    enterprise_user.is_active = False
    enterprise_user.save()
    _answered(demand, alice, bob, econ_dept)
    assert "follow_up" in services.available_actions(bob, demand)


@pytest.mark.parametrize(
    "step, args, message",
    [
        (services.accept, (), "诉求SQ2024-0001当前状态为“受理”，不能签收"),
        (services.confirm, ("satisfied",), "诉求SQ2024-0001当前状态为“受理”，不能确认办结"),
        (services.answer, ("答复",), "诉求SQ2024-0001当前状态为“受理”，不能答复"),
        (services.start, (), "诉求SQ2024-0001当前状态为“受理”，不能开始办理"),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(demand, alice, enterprise_user, step, args, message):
    with pytest.raises(services.IllegalTransition) as exc:
        step(demand, enterprise_user if step is services.confirm else alice, *args)
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
    services.follow_up(demand, alice, "satisfied", "张经理")
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

    # 1: 经发局, received Mon 2024-03-04, due 03-11, answered 03-07 on time, confirmed 03-08 满意.
    one = new(power, at(2024, 3, 4))
    services.assign(one, alice, econ_dept, at=at(2024, 3, 4))
    services.accept(one, bob, at=at(2024, 3, 4))
    services.answer(one, bob, "a", at=at(2024, 3, 7))
    services.confirm(one, enterprise_user, "satisfied", at=at(2024, 3, 8))
    # 2: 经发局, policy, received Mon 03-04, due 03-07, answered 03-12 late, reopened the same
    # day: due 03-15 now, overdue by 04-01, unrated (a reopening is no rating).
    two = new(policy, at(2024, 3, 4))
    services.assign(two, alice, econ_dept, at=at(2024, 3, 4))
    services.accept(two, bob, at=at(2024, 3, 4))
    services.answer(two, bob, "a", at=at(2024, 3, 12))
    services.reopen(two, enterprise_user, "没解决", at=at(2024, 3, 12, 16))
    # 3: 招商局, received Tue 03-05, answered the same day, confirmed 不满意 (closed all the same).
    three = new(power, at(2024, 3, 5))
    services.assign(three, alice, invest_dept, at=at(2024, 3, 5))
    services.accept(three, charlie, at=at(2024, 3, 5))
    services.answer(three, charlie, "a", at=at(2024, 3, 5, 15))
    services.confirm(three, enterprise_user, "dissatisfied", at=at(2024, 3, 5, 16))
    # 4: received, never assigned, overdue by 2024-04-01.
    new(power, at(2024, 3, 20))
    # 5: outside the period.
    new(power, at(2024, 4, 2))
    # 6: 经发局, answered 03-08 and waiting for the enterprise: neither closed nor overdue.
    six = new(power, at(2024, 3, 6))
    services.assign(six, alice, econ_dept, at=at(2024, 3, 6))
    services.accept(six, bob, at=at(2024, 3, 6))
    services.answer(six, bob, "a", at=at(2024, 3, 8))

    total, rows = services.statistics(
        datetime.date(2024, 3, 1), datetime.date(2024, 3, 31), today=datetime.date(2024, 4, 1)
    )
    assert (total.received, total.assigned, total.closed, total.awaiting) == (5, 4, 2, 1)
    assert total.close_rate == 40.0
    assert total.on_time_rate == 100.0  # judged on the answer: one 03-07 ≤ 03-11, three same day
    assert total.average_workdays == 1.5  # receipt to answer: one 03-04 → 03-07 = 3; three: 0
    assert (total.rated, total.satisfied) == (2, 1)
    assert total.satisfaction_rate == 50.0
    assert total.follow_up_rate == 100.0  # every closing carries a rating
    assert total.overdue == 2  # two (reopened, due 03-15) and four (due 03-27); six waits
    by_department = {r.label: (r.received, r.closed, r.overdue) for r in rows}
    assert by_department == {"经济发展局": (4, 1, 2), "招商局": (1, 1, 0)}

    only_invest, _ = services.statistics(
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 31),
        department=invest_dept,
        today=datetime.date(2024, 4, 1),
    )
    assert (only_invest.received, only_invest.closed, only_invest.satisfaction_rate) == (1, 1, 0.0)
    only_policy, _ = services.statistics(
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 31),
        category=policy,
        today=datetime.date(2024, 4, 1),
    )
    assert only_policy.received == 1
