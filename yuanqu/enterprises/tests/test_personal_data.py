"""Personal data (issue 12): no clear mobile in the database or its change log, the auditor
sees the mask, a reader with ``view_personal`` the number, exact search by mobile through
the blind index, API reads in clear audited, ``yuanqu rekey`` after a key rotation."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Contact
from yuanqu.users.models import User
from yuanqu.utilities import crypto
from yuanqu.utilities.testing.views import with_version

MOBILE = "13812345678"
NEW_MOBILE = "13987654321"


def raw(sql, params=()) -> str:
    """Every value the query returns, as one text: what someone reading the file sees."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


@pytest.fixture
def contact(client, alice, owned_enterprise):
    """A contact entered through the form, then its mobile changed through the edit form."""
    client.force_login(alice)
    data = {"enterprise": owned_enterprise.pk, "name": "周敏", "position": "财务总监", "mobile": MOBILE}
    assert client.post(reverse("enterprises:contact_add"), data).status_code == 302
    contact = Contact.objects.get(name="周敏")
    edit = reverse("enterprises:contact_edit", args=[contact.pk])
    assert client.post(edit, with_version(contact, {**data, "mobile": NEW_MOBILE})).status_code == 302
    client.logout()
    return contact


@pytest.mark.django_db
def test_no_clear_mobile_in_the_tables_nor_in_the_change_log(contact, sysadmin, econ_dept):
    User.objects.create_user("zhou", password="x", department=econ_dept, mobile="13600001111")
    stored = raw("SELECT mobile, mobile_bidx FROM enterprises_contact") + raw("SELECT mobile FROM users_user")
    changes = raw("SELECT prechange_data, postchange_data FROM core_objectchange")
    for number in (MOBILE, NEW_MOBILE, "13600001111"):
        assert number not in stored and number not in changes
        assert number[-4:] in changes  # the mask (139****4321) is kept beside the token
    assert "v1:" in stored
    # The chain still verifies: the rows hold what was hashed.
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "哈希链完整" in out.getvalue() and "断" not in out.getvalue()


@pytest.mark.django_db
def test_the_auditor_sees_the_mask_and_a_reader_with_view_personal_the_number(
    client, contact, auditor, leader, charlie
):
    change = ObjectChange.objects.filter(object_id=str(contact.pk), action="update").latest("pk")
    detail = reverse("core:objectchange", args=[change.pk])
    client.force_login(auditor)
    page = client.get(detail).content.decode()
    assert "138****5678" in page and "139****4321" in page
    assert MOBILE not in page and NEW_MOBILE not in page
    listing = client.get(reverse("core:objectchange_list")).content.decode()
    assert MOBILE not in listing and NEW_MOBILE not in listing
    export = client.get(reverse("core:objectchange_list") + "?export=xlsx")
    assert export.status_code == 200
    with zipfile.ZipFile(
        io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)
    ) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert MOBILE not in text and NEW_MOBILE not in text

    # The leader holds view_personal on every enterprise: the enterprise's history in clear.
    client.force_login(leader)
    history = client.get(contact.enterprise.get_absolute_url()).content.decode()
    assert f"{MOBILE} → {NEW_MOBILE}" in history
    # Charlie (another department, no view_personal here) sees the mask in the history.
    client.force_login(charlie)
    history = client.get(contact.enterprise.get_absolute_url()).content.decode()
    assert "138****5678 → 139****4321" in history and NEW_MOBILE not in history


@pytest.mark.django_db
def test_exact_search_by_mobile_goes_through_the_blind_index(
    client, contact, alice, charlie, sysadmin, econ_dept, owned_enterprise
):
    client.force_login(alice)
    found = client.get(reverse("enterprises:enterprise_list"), {"q": "139 8765 4321"}).content.decode()
    assert owned_enterprise.name in found
    missed = client.get(reverse("enterprises:enterprise_list"), {"q": "13900000000"}).content.decode()
    assert owned_enterprise.name not in missed
    # Charlie may list the enterprise but not see its contacts' mobiles: no search by them either.
    client.force_login(charlie)
    page = client.get(reverse("enterprises:enterprise_list"), {"q": NEW_MOBILE}).content.decode()
    assert owned_enterprise.name not in page
    # The users admin finds an account by its mobile.
    User.objects.create_user("zhou", password="x", department=econ_dept, name="周小军", mobile="13600001111")
    client.force_login(sysadmin)
    assert "周小军" in client.get(reverse("users:user_list"), {"q": "136-0000-1111"}).content.decode()


@pytest.mark.django_db
def test_an_api_read_in_clear_is_audited_and_a_masked_read_is_not(contact, leader, charlie):
    api = APIClient()
    api.force_authenticate(charlie)
    answer = api.get("/api/enterprises/")
    assert answer.status_code == 200
    mobiles = [c["mobile"] for e in answer.json()["results"] for c in e["contacts"]]
    assert mobiles == ["139****4321"]
    assert not AuditEvent.objects.filter(kind="personal_read").exists()

    api.force_authenticate(leader)
    answer = api.get("/api/enterprises/")
    assert [c["mobile"] for e in answer.json()["results"] for c in e["contacts"]] == [NEW_MOBILE]
    api.get(f"/api/enterprises/{contact.enterprise_id}/")
    events = list(AuditEvent.objects.filter(kind="personal_read").order_by("pk"))
    assert len(events) == 2  # one per request
    assert events[0].user_id == leader.pk
    assert events[0].data["reads"] == [
        {"model": "enterprises.contact", "records": 1, "fields": ["mobile"], "ids": [contact.pk]}
    ]
    assert events[0].detail.startswith("接口读取个人信息：企业联系人1条（手机号）")
    assert events[0].get_kind_display() == "接口读取个人信息"


@pytest.mark.django_db
def test_rekey_re_encrypts_every_field_with_the_current_key(settings, owned_enterprise, econ_dept):
    settings.YUANQU_FIELD_KEY, settings.YUANQU_FIELD_KEYS_OLD = b"A" * 32, []
    contact = Contact.objects.create(enterprise=owned_enterprise, name="周敏", mobile=MOBILE)
    user = User.objects.create_user("zhou", password="x", department=econ_dept, mobile="13600001111")
    before = raw("SELECT mobile FROM enterprises_contact WHERE id = %s", [contact.pk])

    # Rotation: a new key, the former one kept for reading.
    settings.YUANQU_FIELD_KEY, settings.YUANQU_FIELD_KEYS_OLD = b"B" * 32, [b"A" * 32]
    out = io.StringIO()
    call_command("rekey", "--dry-run", stdout=out)
    assert "企业联系人·手机号：需重新加密 1 条" in out.getvalue()
    assert raw("SELECT mobile FROM enterprises_contact WHERE id = %s", [contact.pk]) == before
    call_command("rekey", stdout=out)
    assert "共已重新加密 2 条" in out.getvalue()
    assert AuditEvent.objects.filter(kind="rekey").count() == 1

    # The former key can go: everything reads and is found with the new one alone.
    settings.YUANQU_FIELD_KEYS_OLD = []
    assert Contact.objects.get(pk=contact.pk).mobile == MOBILE
    assert User.objects.get(pk=user.pk).mobile == "13600001111"
    assert Contact.objects.filter(crypto.blind_search_q("mobile", MOBILE)).get() == contact
    # Run again, nothing is left to do.
    out = io.StringIO()
    call_command("rekey", stdout=out)
    assert "共已重新加密 0 条" in out.getvalue()
