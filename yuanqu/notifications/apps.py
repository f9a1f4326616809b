from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yuanqu.notifications"
    verbose_name = "消息"

    def ready(self):
        from yuanqu import registry

        # The shell's unread count is on every page; the change log does not version it.
        registry.register_page_state("unread_notifications", "yuanqu.notifications.services.unread_count")
