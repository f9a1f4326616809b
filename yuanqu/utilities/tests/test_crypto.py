"""Field encryption (``utilities/crypto.py``): both algorithms decrypt, a wrong key is a clear
error rather than garbage, old keys are read until ``yuanqu rekey``, the blind index finds a
number however it is typed."""

import os

import pytest
from django.db import connection

from yuanqu.enterprises.models import Contact
from yuanqu.utilities import crypto
from yuanqu.utilities.privacy import MOBILE

KEY_A = b"A" * 32
KEY_B = b"B" * 32


@pytest.fixture
def key_a(settings):
    settings.YUANQU_FIELD_KEY, settings.YUANQU_FIELD_KEYS_OLD = KEY_A, []
    return settings


def raw_mobile(contact):
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_bidx FROM enterprises_contact WHERE id = %s", [contact.pk])
        return cursor.fetchone()


@pytest.mark.parametrize("algorithm", [crypto.SM4_GCM, crypto.AES_GCM])
def test_both_algorithms_round_trip_and_name_themselves(key_a, algorithm):
    if algorithm == crypto.SM4_GCM:
        # This build's OpenSSL has SM4: it is the default, as the issue asks.
        assert crypto.sm4_available() and crypto.default_algorithm() == crypto.SM4_GCM
    token = crypto.encrypt("13812345678", algorithm=algorithm)
    assert token.startswith(f"v1:{algorithm}:") and "13812345678" not in token
    assert crypto.is_token(token)
    assert crypto.decrypt(token) == "13812345678"
    # A fresh nonce each time in the column; the change log's token is the same for one value.
    assert crypto.encrypt("13812345678", algorithm=algorithm) != token
    same = crypto.encrypt("13812345678", algorithm=algorithm, deterministic=True)
    assert same == crypto.encrypt("13812345678", algorithm=algorithm, deterministic=True)
    assert crypto.decrypt(same) == "13812345678"


def test_a_wrong_key_is_a_clear_error_not_garbage(key_a, settings):
    token = crypto.encrypt("13812345678")
    settings.YUANQU_FIELD_KEY = KEY_B
    with pytest.raises(crypto.DecryptionError, match="无法解密个人信息：加密时使用的密钥与 YUANQU_FIELD_KEY"):
        crypto.decrypt(token)
    # A damaged value is refused the same way (the GCM tag does not match).
    settings.YUANQU_FIELD_KEY = KEY_A
    damaged = token[:-6] + ("AAAA" if not token.endswith("AAAA==") else "BBBB") + token[-2:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(damaged)


def test_an_old_key_is_still_read_and_its_index_still_found(key_a, settings):
    token = crypto.encrypt("13812345678")
    old_index = crypto.blind_index("13812345678", MOBILE)
    settings.YUANQU_FIELD_KEY, settings.YUANQU_FIELD_KEYS_OLD = KEY_B, [KEY_A]
    assert crypto.decrypt(token) == "13812345678"
    assert crypto.token_key(token) == KEY_A
    assert old_index in crypto.blind_indexes("138 1234 5678", MOBILE)
    assert crypto.blind_index("13812345678", MOBILE) != old_index  # each key its own index


def test_the_blind_index_reads_a_mobile_by_its_digits(key_a):
    typed = ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", " 8613812345678 "]
    assert len({crypto.blind_index(t, MOBILE) for t in typed}) == 1
    assert crypto.blind_index("13812345679", MOBILE) != crypto.blind_index("13812345678", MOBILE)
    assert crypto.blind_index("", MOBILE) == ""
    # A word in the search box is no number: no index lookup at all.
    assert crypto.blind_search_q("mobile", "科技") is None
    assert crypto.blind_search_q("mobile", "138") is None


@pytest.mark.django_db
def test_every_write_path_stores_ciphertext_and_the_index(key_a, owned_enterprise):
    one = Contact.objects.create(enterprise=owned_enterprise, name="周敏", mobile="13812345678")
    bulk = Contact.objects.bulk_create(
        [Contact(enterprise=owned_enterprise, name=f"联系人{i}", mobile=f"1390000000{i}") for i in range(3)]
    )
    for contact in [one, *bulk]:
        stored, index = raw_mobile(contact)
        assert stored.startswith(f"v1:{crypto.default_algorithm()}:") and contact.mobile not in stored
        assert index == crypto.blind_index(contact.mobile, MOBILE)
    # bulk_update and update() encrypt too (the index is the caller's to list in bulk_update).
    bulk[0].mobile = "13700000001"
    Contact.objects.bulk_update([bulk[0]], ["mobile"])
    Contact.objects.filter(pk=bulk[1].pk).update(mobile="13700000002")
    assert {c.mobile for c in Contact.objects.filter(pk__in=[bulk[0].pk, bulk[1].pk])} == {
        "13700000001",
        "13700000002",
    }
    assert all(raw_mobile(c)[0].startswith("v1:") for c in bulk)
    # Read back in clear, and a record read with another key fails loudly.
    assert Contact.objects.get(pk=one.pk).mobile == "13812345678"
    key_a.YUANQU_FIELD_KEY = os.urandom(32)
    with pytest.raises(crypto.DecryptionError):
        Contact.objects.get(pk=one.pk)


@pytest.mark.django_db
def test_an_empty_mobile_stays_empty(key_a, owned_enterprise):
    contact = Contact.objects.create(enterprise=owned_enterprise, name="无手机")
    assert raw_mobile(contact) == ("", "")
    assert Contact.objects.get(pk=contact.pk).mobile == ""
