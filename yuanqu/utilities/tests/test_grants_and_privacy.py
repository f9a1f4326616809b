"""``get_for_action`` (404 outside the view grant, 403 when visible but not allowed),
``OutsideGrant`` rolling a save back, and masking personal data by field kind."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from yuanqu.enterprises.models import Contact, Enterprise
from yuanqu.users.permissions import can
from yuanqu.utilities import privacy
from yuanqu.utilities.grants import OutsideGrant, ensure_within_grant, get_for_action


def test_the_record_comes_back_when_the_user_may_act(alice, owned_enterprise):
    assert get_for_action(Enterprise, owned_enterprise.pk, alice, "change") == owned_enterprise
    assert get_for_action(Enterprise.objects.all(), owned_enterprise.pk, alice) == owned_enterprise


def test_visible_but_not_allowed_is_403_with_the_message(charlie, owned_enterprise):
    assert can(charlie, owned_enterprise, "view") and not can(charlie, owned_enterprise, "change")
    with pytest.raises(PermissionDenied) as refused:
        get_for_action(Enterprise, owned_enterprise.pk, charlie, "change", message=lambda e: f"不能修改“{e}”")
    assert str(refused.value) == f"不能修改“{owned_enterprise}”"
    with pytest.raises(PermissionDenied, match="执行此操作的权限"):
        get_for_action(Enterprise, owned_enterprise.pk, charlie, "change")


def test_outside_the_view_grant_is_404_whatever_the_action(enterprise_user, other_enterprise):
    assert not can(enterprise_user, other_enterprise, "view")
    for action in ("view", "change", "delete"):
        with pytest.raises(Http404):
            get_for_action(Enterprise, other_enterprise.pk, enterprise_user, action)
    with pytest.raises(Http404):
        get_for_action(Enterprise, other_enterprise.pk, enterprise_user, allowed=lambda e: True)


def test_adding_a_child_asks_the_child_rule(alice, charlie, owned_enterprise):
    assert get_for_action(Enterprise, owned_enterprise.pk, alice, add_child=(Contact, "enterprise"))
    with pytest.raises(PermissionDenied):
        get_for_action(Enterprise, owned_enterprise.pk, charlie, add_child=(Contact, "enterprise"))


def test_a_save_outside_the_grant_is_rolled_back(alice, owned_enterprise, invest_dept):
    with pytest.raises(OutsideGrant), transaction.atomic():
        owned_enterprise.department = invest_dept
        owned_enterprise.save()
        ensure_within_grant(owned_enterprise, alice, "change")
    owned_enterprise.refresh_from_db()
    assert owned_enterprise.department.name == "经济发展局"
    ensure_within_grant(owned_enterprise, alice, "change")  # within: nothing raised


@pytest.mark.parametrize(
    "kind, value, masked",
    [
        (privacy.MOBILE, "13812345678", "138****5678"),
        (privacy.ID_NUMBER, "11010119900307123X", "110101********123X"),
        (privacy.EMAIL, "zhangsan@example.com", "z***@example.com"),
        (privacy.PHONE, "0371-12345678", "037*-****5678"),
        (privacy.PERSON_NAME, "张三丰", "张**"),
        (privacy.ADDRESS, "河南省郑州市高新区科学大道100号", "河南省郑州市****"),
        (privacy.TEXT, "身体状况良好", "****"),
        (privacy.MOBILE, "123", "***"),
        (privacy.EMAIL, "", ""),
    ],
)
def test_each_kind_is_masked_in_its_own_way(kind, value, masked):
    assert privacy.mask(value, kind) == masked


def test_the_kind_is_read_from_the_declaration_the_field_and_its_name():
    class Declared:
        personal_fields = {"mobile": privacy.MOBILE, "note": privacy.ID_NUMBER}

    assert privacy.field_kind(Contact, "mobile") == privacy.MOBILE
    assert privacy.field_kind(Declared, "note") == privacy.ID_NUMBER
    assert privacy.field_kind(Contact, "id_card_no") == privacy.ID_NUMBER
    assert privacy.field_kind(Contact, "contact_email") == privacy.EMAIL
    assert privacy.field_kind(Contact, "office_tel") == privacy.PHONE
    assert privacy.field_kind(Contact, "remarks") == privacy.TEXT
    assert privacy.personal_fields(Contact) == {"mobile": privacy.MOBILE}
    assert privacy.mask_field(Contact, "mobile", "13812345678") == "138****5678"
    assert privacy.mask_field(Contact, "name", "张三") == "张三"  # not personal on this model


def test_an_id_number_in_the_change_log_is_masked_as_one(charlie, alice, owned_enterprise, monkeypatch):
    """The history of a record masks each personal field by its kind (not as a phone)."""
    from yuanqu.core.models import ObjectChange
    from yuanqu.utilities.templatetags.yuanqu import diff_for

    monkeypatch.setattr(Contact, "personal_fields", {"mobile": privacy.MOBILE, "position": privacy.ID_NUMBER})
    contact = Contact.objects.create(
        enterprise=owned_enterprise, name="张三", position="11010119900307123X", mobile="13812345678"
    )
    change = ObjectChange.objects.filter(object_id=str(contact.pk)).latest("pk")
    rows = {label: after for label, _before, after in diff_for(change, charlie)}
    assert rows["手机号"] == "138****5678" and rows["职务"] == "110101********123X"
    assert not can(charlie, owned_enterprise, "view_personal")
