from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "yuanqu.jobs"
    verbose_name = "后台任务"

    def ready(self):
        from yuanqu.registry import register_navigation as nav

        # Every signed-in user's own jobs, staff, administrators and enterprise users alike
        # (the list's own check, ``views.job_list.allows``, draws the entry).
        nav("modules", "我的后台任务", "jobs:list", "jobs.job", order=150)
        nav("enterprise", "我的后台任务", "jobs:list", "jobs.job", order=150)
