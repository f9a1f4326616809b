"""The session store (``users.sessions.SessionStore``) reads Django's session table with one
plain statement: the same data as Django's store, nothing for an expired or unknown key."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from yuanqu.users.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_engine_is_this_store():
    assert settings.SESSION_ENGINE == "yuanqu.users.sessions"


def test_it_reads_what_django_wrote_and_django_reads_what_it_wrote():
    theirs = DjangoStore()
    theirs.update({"_auth_user_id": "7", "filters": {"zone": [1, 2]}, "名称": "东区"})
    theirs.create()
    ours = SessionStore(theirs.session_key)
    assert dict(ours.items()) == dict(theirs.items())
    assert ours.session_key == theirs.session_key

    ours["seen"] = 3
    ours.save()
    again = DjangoStore(ours.session_key)
    assert again["seen"] == 3 and again["名称"] == "东区"


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key():
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.create()
    key = store.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = SessionStore(key)
    assert dict(expired.items()) == {}
    assert expired.session_key is None  # a new key is made on the next save, never the old one
    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None
    live = SessionStore()
    live["a"] = 1
    live.create()
    Session.objects.filter(session_key=live.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert SessionStore(live.session_key)["a"] == 1
