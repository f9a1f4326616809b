from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "yuanqu.projects"
    verbose_name = "重点项目"

    def ready(self):
        from django.db.models.signals import post_migrate

        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        from . import importers, search  # noqa: F401  (their registrations)
        from .services.lights import ensure_default_light_rules

        post_migrate.connect(ensure_default_light_rules, sender=self)
        registry.register_figures("projects", "yuanqu.projects.catalogue.provide")
        registry.register_demo("projects", "yuanqu.projects.demo.generate_projects", order=50)
        nav("modules", "重点项目", "projects:keyproject_list", "projects.keyproject", order=60)
        nav("admin", "亮灯规则", "projects:lightrule_list", "projects.lightrule", order=80, action="change")
