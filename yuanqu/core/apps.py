from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    verbose_name = "平台核心"

    def ready(self):
        from yuanqu.registry import register_navigation as nav

        from . import checks, signals  # noqa: F401  (checks registers the deployment checks)

        # First app in INSTALLED_APPS: the change-log receivers other apps rely on come first.
        signals.connect()
        # Modules of the product not built yet: shown disabled, in their place in the menu.
        nav("modules", "网格走访", None, None, order=90)
        nav("modules", "土地载体", None, None, order=100)
        nav("admin", "工作日历", "core:calendarday_list", "core.calendarday", order=90)
        nav("admin", "日历年度", "core:calendaryear_list", "core.calendaryear", order=100, action="change")
        nav("admin", "变更记录", "core:objectchange_list", "core.objectchange", order=120)
        nav("admin", "安全事件", "core:auditevent_list", "core.auditevent", order=130)
