"""``yuanqu createadmin USERNAME --role secadmin``: an administrator's account, made on the
console of the server.

This is how a new zone starts (三权分立): the operator of the machine makes the three
administrators here — 系统管理员, 安全管理员, 审计员 — and nothing else. Business accounts
(leaders, staff …) are asked for by the system administrator on the pages and approved by the
security administrator (``yuanqu.users.accounts``). The password is typed twice (or read from
``YUANQU_ADMIN_PASSWORD`` for a script), checked by the password policy, and must be changed
at the first login. ``yuanqu createsuperuser`` still makes a system administrator.
"""

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as
from yuanqu.users.choices import ADMIN_ROLES, Role
from yuanqu.users.models import Department, User

ROLE_NAMES = {role.value: role for role in Role if role in ADMIN_ROLES}


class Command(BaseCommand):
    help = "在服务器控制台新建管理员账号（系统管理员、安全管理员或审计员）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_NAMES), help="管理员角色")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--department", default="党政办公室", help="所属部门（不存在时新建）")

    def read_password(self) -> str:
        password = os.environ.get("YUANQU_ADMIN_PASSWORD")
        if password:
            return password
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        return first

    def handle(self, *args, username, role, name, department, **options):
        username = username.strip()
        if not username:
            raise CommandError("请给出用户名")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名“{username}”已存在")
        password = self.read_password()
        user = User(username=username, name=name, role=role)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from None
        with acting_as(None, source="cli"), transaction.atomic():
            user.department, _ = Department.objects.get_or_create(name=department)
            user.set_password(password)
            user.must_change_password = True
            user.full_clean()
            user.save()
            audit("admin_created", user=user, detail=f"控制台新建{ROLE_NAMES[role].label}账号 {username}")
        self.stdout.write(f"已新建{ROLE_NAMES[role].label}账号 {username}，首次登录须修改密码。")
