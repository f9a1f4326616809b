from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yuanqu.notifications"
    verbose_name = "消息"
