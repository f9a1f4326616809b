from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yuanqu.supervision"
    verbose_name = "督查督办"

    def ready(self):
        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        from . import importers  # noqa: F401  (its registrations)

        registry.register_figures("supervision", "yuanqu.supervision.figures.provide")
        # After the target sheet: the demo's 目标管理考核 rates the departments' targets too.
        registry.register_demo(
            "supervision", "yuanqu.supervision.demo.generate_supervision", order=90, requires=["targets"]
        )
        nav("modules", "我的待办", "supervision:my_work", "supervision.task", order=10)
        registry.register_cached_page("supervision:my_work")  # read-only: the response cache
        nav("modules", "督查督办", "supervision:task_list", "supervision.task", order=80)
        registry.register_home_panel(
            "my_work", "yuanqu.supervision.panels.my_work_button", order=10, slot="actions"
        )
