"""The authentication backend reads the session's user with a statement prepared once per
connection (``users.backends``): the same user, field for field, as the ORM's own query."""

import pytest
from django.conf import settings
from django.db import connections
from django.forms.models import model_to_dict

from yuanqu.users.backends import UserBackend
from yuanqu.users.models import User

pytestmark = pytest.mark.django_db


def test_the_user_is_the_one_the_orm_reads(leader, econ_dept):
    leader.mobile = "13912345678"  # an encrypted field, decrypted on the way out
    leader.save()
    settings_backend = settings.AUTHENTICATION_BACKENDS
    assert settings_backend == ["yuanqu.users.backends.UserBackend"]
    backend = UserBackend()
    for user_id in (leader.pk, str(leader.pk)):  # the session keeps it as text
        user = backend.get_user(user_id)
        expected = User.objects.get(pk=leader.pk)
        assert type(user) is User and user.pk == leader.pk
        assert model_to_dict(user) == model_to_dict(expected)
        assert {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in User._meta.concrete_fields
        }
        assert user.mobile == "13912345678"
        assert user.department == econ_dept
        assert not user._state.adding and user._state.db == "default"


def test_no_user_for_an_unknown_a_malformed_or_an_inactive_id(leader):
    backend = UserBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user("abc") is None
    leader.is_active = False
    leader.save()
    assert backend.get_user(leader.pk) is None


def test_a_new_connection_prepares_its_own_query(leader):
    backend = UserBackend()
    assert backend.get_user(leader.pk).pk == leader.pk
    prepared = connections["default"].__dict__["_yuanqu_user_by_pk"]
    del connections["default"].__dict__["_yuanqu_user_by_pk"]
    assert backend.get_user(leader.pk).pk == leader.pk
    assert connections["default"].__dict__["_yuanqu_user_by_pk"] is not prepared


def test_a_logged_in_client_is_that_user(client, leader):
    client.force_login(leader)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == leader.pk
    assert leader.name in response.content.decode()
