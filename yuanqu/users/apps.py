from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "yuanqu.users"
    verbose_name = "用户与权限"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from yuanqu.registry import register_navigation as nav

        from .seeding import ensure_default_permissions
        from .sessions import mark_login

        post_migrate.connect(ensure_default_permissions, sender=self)
        user_logged_in.connect(mark_login, dispatch_uid="yuanqu_session_login_time")
        nav("admin", "部门", "users:department_list", "users.department", order=10)
        nav("admin", "园区/片区", "users:zone_list", "users.zone", order=20)
        nav("admin", "用户", "users:user_list", "users.user", order=30)
        nav("admin", "账号申请", "users:accountrequest_list", "users.accountrequest", order=35)
        nav("admin", "权限", "users:objectpermission_list", "users.objectpermission", order=110)
