"""三级审核: drafter → department head → leader, 退回 to the drafter with a comment; who may
take each step and who may not (a refusal changes nothing, the change log included)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuanqu.core.context import acting_as
from yuanqu.documents import services
from yuanqu.documents.choices import Decision, DocumentStatus, SignOffStep
from yuanqu.documents.models import Document, DocumentVersion, SignOff
from yuanqu.documents.tests.test_models_documents import (  # noqa: F401 (fixtures)
    change_log,
    fake_engine,
    grant_review,
    make_document,
)
from yuanqu.notifications.models import Notification
from yuanqu.users.choices import Role
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.changes import assert_nothing_changed

pytestmark = pytest.mark.django_db
S = DocumentStatus


@pytest.fixture
def head(econ_dept):
    """The head of 经济发展局: a staff member with the review grant on its documents."""
    user = f.user("head", Role.STAFF, econ_dept, name="陈科长")
    grant_review(user)
    return user


@pytest.fixture
def other_head(invest_dept):
    user = f.user("otherhead", Role.STAFF, invest_dept, name="周局长")
    grant_review(user)
    return user


def at(document, status):
    Document.objects.filter(pk=document.pk).update(status=status)
    document.refresh_from_db()
    return document


def step(user, action, document, *args):
    with acting_as(user, source="web"):
        return action(document, user, *args)


def refused(user, action, document, *args, error=PermissionDenied, match=None):
    with assert_nothing_changed(Document, DocumentVersion, SignOff, Notification):
        with pytest.raises(error, match=match):
            step(user, action, document, *args)


# --- the way through --------------------------------------------------------------------------


def test_the_three_steps_publish_the_document_each_in_the_change_log(alice, head, leader):
    document = make_document(alice)
    step(alice, services.submit, document, "请审核")
    document.refresh_from_db()
    assert document.status == S.DEPT_REVIEW
    step(head, services.sign, document, Decision.APPROVE, "同意上报")
    document.refresh_from_db()
    assert document.status == S.LEADER_REVIEW
    step(leader, services.sign, document, Decision.APPROVE, "")
    document.refresh_from_db()
    assert document.status == S.PUBLISHED and document.published is not None
    assert [(s.step, s.decision, s.user, s.comment, s.version) for s in document.signoffs.all()] == [
        (SignOffStep.SUBMIT, Decision.SUBMIT, alice, "请审核", 1),
        (SignOffStep.DEPT, Decision.APPROVE, head, "同意上报", 1),
        (SignOffStep.LEADER, Decision.APPROVE, leader, "", 1),
    ]
    updates = change_log(Document).filter(action="update", object_id=str(document.pk)).order_by("pk")
    assert [(c.user_id, c.postchange_data["status"]) for c in updates] == [
        (alice.pk, "dept_review"),
        (head.pk, "leader_review"),
        (leader.pk, "published"),
    ]
    assert change_log(SignOff).filter(action="create").count() == 3
    told = [(n.recipient, n.title) for n in Notification.objects.order_by("pk")]
    assert told == [
        (head, f"待部门负责人审核：{document}"),
        (leader, f"待领导审定：{document}"),
        (alice, f"材料已发布：{document}"),
    ]


@pytest.mark.usefixtures("fake_engine")
def test_the_head_returns_it_with_a_comment_and_the_drafter_revises_and_submits_again(alice, head):
    document = at(make_document(alice), S.DEPT_REVIEW)
    step(head, services.sign, document, Decision.RETURN, "第二段数据口径不对")
    document.refresh_from_db()
    assert document.status == S.RETURNED
    assert document.signoffs.get().comment == "第二段数据口径不对"
    assert Notification.objects.get(recipient=alice).body == "陈科长退回：第二段数据口径不对"
    version = step(alice, services.revise, document, "修改后的文本")
    assert version.number == 2
    step(alice, services.submit, document)
    document.refresh_from_db()
    assert document.status == S.DEPT_REVIEW
    assert document.signoffs.last().version == 2


def test_the_leader_returns_it_to_the_drafter(alice, leader):
    document = at(make_document(alice), S.LEADER_REVIEW)
    step(leader, services.sign, document, Decision.RETURN, "请补充下一步打算")
    document.refresh_from_db()
    assert document.status == S.RETURNED
    assert services.actions_for(document, alice)["submit"]


# --- who may not ------------------------------------------------------------------------------


def test_only_the_drafters_side_submits(alice, bob, charlie, leader, head):
    document = make_document(alice)
    refused(charlie, services.submit, document)  # another department: not even visible to change
    refused(leader, services.submit, document)  # the leader approves, does not draft
    step(bob, services.submit, document)  # a colleague of the department may hand it on
    document.refresh_from_db()
    assert document.status == S.DEPT_REVIEW


@pytest.mark.usefixtures("fake_engine")
@pytest.mark.parametrize("status", [S.DEPT_REVIEW, S.LEADER_REVIEW, S.PUBLISHED])
def test_nothing_is_submitted_or_revised_once_handed_on(alice, status):
    document = at(make_document(alice), status)
    refused(alice, services.submit, document, match="当前状态为")
    refused(alice, services.revise, document, "新文本", match="当前状态为")


def test_the_department_step_is_the_heads_of_that_department(alice, bob, leader, other_head):
    document = at(make_document(alice), S.DEPT_REVIEW)
    refused(bob, services.sign, document, Decision.APPROVE, "")  # staff without the review grant
    refused(other_head, services.sign, document, Decision.APPROVE, "")  # another department's head
    refused(leader, services.sign, document, Decision.APPROVE, "")  # the leader's step is the next one


def test_nobody_signs_off_what_they_drafted(econ_dept, leader):
    drafter_head = f.user("drafterhead", Role.STAFF, econ_dept, name="自审者")
    grant_review(drafter_head)
    document = at(make_document(drafter_head), S.DEPT_REVIEW)
    refused(drafter_head, services.sign, document, Decision.APPROVE, "", match="不能审核本人起草的材料")
    led = at(make_document(leader), S.LEADER_REVIEW)
    refused(leader, services.sign, led, Decision.APPROVE, "", match="不能审核本人起草的材料")


def test_the_leader_step_is_the_leaders(alice, head, bob):
    document = at(make_document(alice), S.LEADER_REVIEW)
    refused(head, services.sign, document, Decision.APPROVE, "")
    refused(bob, services.sign, document, Decision.APPROVE, "")


def test_a_return_needs_its_comment(alice, head):
    document = at(make_document(alice), S.DEPT_REVIEW)
    refused(
        head,
        services.sign,
        document,
        Decision.RETURN,
        "  ",
        error=ValidationError,
        match="退回时须填写退回意见",
    )


def test_an_unknown_decision_changes_nothing(alice, head):
    document = at(make_document(alice), S.DEPT_REVIEW)
    refused(head, services.sign, document, "maybe", "", error=ValidationError, match="未知的审核意见")


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.PUBLISHED])
def test_no_review_outside_the_review_steps(alice, head, leader, status):
    document = at(make_document(alice), status)
    refused(head, services.sign, document, Decision.APPROVE, "")
    refused(leader, services.sign, document, Decision.APPROVE, "")


@pytest.mark.usefixtures("fake_engine")
def test_a_published_document_keeps_its_version(alice, head, leader):
    document = make_document(alice)
    step(alice, services.submit, document)
    step(head, services.sign, document, Decision.APPROVE, "")
    step(leader, services.sign, document, Decision.APPROVE, "")
    document.refresh_from_db()
    assert document.frozen
    refused(alice, services.revise, document, "发布后改写")
    assert document.versions.count() == 1
    assert services.actions_for(document, alice) == {
        "edit": False,
        "submit": False,
        "sign": False,
        "step": "",
    }
