"""Escalation of overdue demands on a frozen clock (the date is passed), across the 2024
National Day holiday: the exact working days each step fires, its repeats, and the stop."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from yuanqu.core.models import ObjectChange
from yuanqu.demands import escalation, services
from yuanqu.demands.models import Demand
from yuanqu.notifications.models import Notification

from .conftest import at

D = datetime.date


@pytest.fixture
def overdue(demand, alice, bob, leader, econ_dept):
    """Assigned by alice to 经济发展局 on Thu 2024-09-19 with 5 working days: due Thu 09-26."""
    alice.email, bob.email = "alice@example.gov.cn", "bob@example.gov.cn"
    alice.save(), bob.save()
    services.assign(demand, alice, econ_dept, at=at(2024, 9, 19, 11), workdays=5)
    assert demand.due_on == D(2024, 9, 26)
    return demand


def sweep_days(start, end):
    """Run the daily sweep on every calendar day; (day, level, repeat) of each step taken."""
    fired, day = [], start
    while day <= end:
        fired += [(day, s.level, s.repeat) for s in escalation.sweep(day)]
        day += datetime.timedelta(days=1)
    return fired


def test_steps_fire_on_the_working_days_overdue_and_repeat_until_answered(overdue, bob):
    assert sweep_days(D(2024, 9, 26), D(2024, 10, 15)) == [
        (D(2024, 9, 27), "urge", False),  # first working day overdue (d=1)
        # 09-29 is a make-up Sunday (d=2): too soon to repeat 催办
        (D(2024, 9, 30), "supervise", False),  # d=3
        # National Day 10-01…10-07 is off; 10-08 is d=4
        (D(2024, 10, 9), "circulate", False),  # d=5
        (D(2024, 10, 11), "circulate", True),  # two working days later
        (D(2024, 10, 14), "circulate", True),  # 10-12, a make-up Saturday, counts
    ]
    overdue.refresh_from_db()
    assert (overdue.escalation_level, overdue.escalated_on) == ("circulate", D(2024, 10, 14))
    events = list(overdue.events.filter(action__in=["urge", "supervise", "circulate"]))
    assert [(e.time.date(), e.actor) for e in events][0] == (D(2024, 9, 27), None)  # the system
    assert events[0].actor_display == "系统"
    assert (
        events[-1].text == "办理期限2024-09-26，已超期9个工作日。第3次通报：请经济发展局尽快办理并答复企业。"
    )
    services.accept(overdue, bob, at=at(2024, 10, 15))
    services.answer(overdue, bob, "已协调供电公司完成增容", at=at(2024, 10, 15, 15))
    assert sweep_days(D(2024, 10, 16), D(2024, 10, 31)) == []


def test_each_step_notifies_the_department_and_the_assigner_in_app_and_by_mail(
    overdue, alice, bob, leader, charlie
):
    escalation.sweep(D(2024, 9, 27))
    notes = Notification.objects.filter(kind="demand_escalation")
    assert sorted(n.recipient.username for n in notes) == ["alice", "bob", "leader"]
    note = notes.get(recipient=bob)
    assert note.title == f"【催办】诉求{overdue.number}已超期1个工作日"
    assert note.link == overdue.get_absolute_url()
    # Mail to those with an address (alice and bob; the leader has none).
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.gov.cn", "bob@example.gov.cn"]
    assert "催办" in mail.outbox[0].subject


def test_running_twice_the_same_day_takes_no_second_step(overdue):
    assert len(escalation.sweep(D(2024, 9, 27))) == 1
    assert escalation.sweep(D(2024, 9, 27)) == []
    assert overdue.events.filter(action="urge").count() == 1
    assert Notification.objects.count() == 3


def test_a_step_is_change_logged_on_the_demand(overdue):
    escalation.sweep(D(2024, 9, 30))  # cron missed the first days: straight to 督办单 (d=3)
    overdue.refresh_from_db()
    assert overdue.escalation_level == "supervise"
    change = ObjectChange.objects.filter(content_type__model="demand", object_id=str(overdue.pk)).latest("pk")
    assert change.postchange_data["escalation_level"] == "supervise" and change.message == "督办单"
    assert change.source == "system"


def test_an_approved_extension_stops_escalation_and_starts_it_over(overdue, bob, leader):
    escalation.sweep(D(2024, 9, 27))
    services.accept(overdue, bob, at=at(2024, 9, 27, 14))
    services.request_extension(overdue, bob, 5, "需协调供电公司", at=at(2024, 9, 27, 15))
    assert [s.level for s in escalation.sweep(D(2024, 9, 30))] == ["supervise"]  # pending: still escalates
    services.approve_extension(overdue, leader, at=at(2024, 9, 30, 16))
    overdue.refresh_from_db()
    assert overdue.due_on == D(2024, 10, 9) and overdue.escalation_level == ""
    assert sweep_days(D(2024, 10, 1), D(2024, 10, 10)) == [(D(2024, 10, 10), "urge", False)]


def test_no_step_on_a_day_off_nor_for_closed_or_forwarded_demands(overdue, alice):
    assert escalation.sweep(D(2024, 10, 3)) == []  # National Day
    other = Demand.objects.get(pk=overdue.pk)
    other.status = "forwarded"
    other.save()
    assert escalation.sweep(D(2024, 9, 27)) == []


def test_thresholds_come_from_the_settings(overdue, settings):
    settings.YUANQU_DEMAND_SUPERVISE_AFTER_WORKDAYS = 2
    settings.YUANQU_DEMAND_CIRCULATE_AFTER_WORKDAYS = 10
    settings.YUANQU_DEMAND_ESCALATION_REPEAT_WORKDAYS = 1
    fired = sweep_days(D(2024, 9, 27), D(2024, 10, 9))
    assert fired == [
        (D(2024, 9, 27), "urge", False),
        (D(2024, 9, 29), "supervise", False),
        (D(2024, 9, 30), "supervise", True),
        (D(2024, 10, 8), "supervise", True),
        (D(2024, 10, 9), "supervise", True),
    ]


def test_the_command_sweeps_the_given_date_and_dry_run_writes_nothing(overdue, capsys):
    call_command("escalate", "--date", "2024-09-27", "--dry-run")
    out = capsys.readouterr().out
    assert f"{overdue.number} 超期1个工作日 催办" in out and "将督办 1 件（试运行，未写入）" in out
    assert not overdue.events.filter(action="urge").exists() and not Notification.objects.exists()
    call_command("escalate", "--date", "2024-09-27")
    assert "已督办 1 件" in capsys.readouterr().out
    assert overdue.events.filter(action="urge").count() == 1
    with pytest.raises(CommandError, match="日期“2024/09/27”格式不对"):
        call_command("escalate", "--date", "2024/09/27")


def test_the_demand_page_shows_the_level_and_history_and_the_list_filters_by_level(
    client, overdue, alice, demand
):
    escalation.sweep(D(2024, 9, 27))
    escalation.sweep(D(2024, 9, 30))
    client.force_login(alice)
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert "督办单（2024-09-30）" in page
    assert "第1次催办" in page and "第1次督办单" in page and "系统" in page
    listing = client.get("/demands/?escalation_level=supervise").content.decode()
    assert overdue.number in listing
    assert overdue.number not in client.get("/demands/?escalation_level=circulate").content.decode()
