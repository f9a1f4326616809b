"""Factories for the standard cast and records; valid USCCs are generated, not typed."""

import functools
import itertools

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from yuanqu.enterprises.models import Enterprise, IndustryChain
from yuanqu.enterprises.validators import make_uscc
from yuanqu.users.choices import Role, ZoneKind
from yuanqu.users.models import Department, User, Zone

PASSWORD = "Yuanqu-Test-2024"
_serial = itertools.count(1)


def uscc(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    return make_uscc("91", "610100", f"{n:08d}")


def department(name="经济发展局"):
    return Department.objects.get_or_create(name=name)[0]


def zone(name="东区", parent=None, kind=ZoneKind.AREA):
    return Zone.objects.get_or_create(name=name, parent=parent, defaults={"kind": kind})[0]


def user(username, role=Role.STAFF, dept=None, **extra):
    obj = User(username=username, role=role, department=dept or department(), name=extra.pop("name", username), **extra)
    obj.password = _password_hash()
    obj.password_changed_at = timezone.now()
    obj.save()
    return obj


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once per process: every user of the cast logs in with it, and hashing
    it for each user made a tenth of some modules' time."""
    return make_password(PASSWORD)


def enterprise(name=None, dept=None, zone_obj=None, **extra):
    n = next(_serial)
    return Enterprise.objects.create(
        uscc=extra.pop("uscc", None) or uscc(n),
        name=name or f"测试企业{n}有限公司",
        department=dept or department(),
        zone=zone_obj,
        **extra,
    )


def chain(name="高端装备制造"):
    return IndustryChain.objects.get_or_create(name=name)[0]
