"""Factories for the standard cast and records; valid USCCs are generated, not typed."""

import itertools

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
    obj.set_password(PASSWORD)
    obj.save()
    return obj


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
