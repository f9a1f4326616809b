"""The app registry (``yuanqu/registry.py``): what the apps register in ``ready()`` and what
seed-demo, the menus, the start page, search, the console import/export and the change-log
signals read from it."""

import datetime
import io
import re
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from yuanqu import registry as reg
from yuanqu.core.context_processors import admin_items, module_items
from yuanqu.core.models import AuditEvent
from yuanqu.core.search import global_search
from yuanqu.core.signals import SNAPSHOT, state_before_save
from yuanqu.economy.models import Indicator, IndicatorRollup
from yuanqu.economy.services import record_enterprise_value
from yuanqu.enterprises.models import Enterprise
from yuanqu.registry import registry
from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm
from yuanqu.utilities.importing import importer_names
from yuanqu.utilities.links import url_if_open

# The menus as they were written by hand in core/context_processors.py before the registry:
# (label, url name, model label[, action]) in this order.
MODULES = [
    ("我的待办", "supervision:my_work", "supervision.task"),
    ("企业库", "enterprises:enterprise_list", "enterprises.enterprise"),
    ("经济运行", "economy:summary", "economy.enterprisemonthlyvalue"),
    ("目标管理", "targets:sheet", "targets.target"),
    ("亩均评价", "evaluation:evaluationresult_list", "evaluation.evaluationresult"),
    ("双招双引", "investment:lead_list", "investment.lead"),
    ("重点项目", "projects:keyproject_list", "projects.keyproject"),
    ("诉求办理", "demands:demand_list", "demands.demand"),
    ("督查督办", "supervision:task_list", "supervision.task"),
    ("数据目录", "figures:catalogue", "figures.unit"),
    ("网格走访", None, None),
    ("土地载体", None, None),
    ("材料报告", "documents:document_list", "documents.document"),
    ("材料校核", "documents:check", "documents.document"),
    ("我的后台任务", "jobs:list", "jobs.job"),
]
ENTERPRISE_MODULES = [
    ("本企业", "enterprises:enterprise", "enterprises.enterprise"),
    ("月报填报", "economy:portal", "economy.enterprisemonthlyvalue"),
    ("本企业月报", "economy:enterprisemonthlyvalue_list", "economy.enterprisemonthlyvalue"),
    ("亩均评价结果", "evaluation:evaluationresult_list", "evaluation.evaluationresult"),
    ("我的诉求", "demands:demand_list", "demands.demand"),
    ("我的后台任务", "jobs:list", "jobs.job"),
]
ADMIN = [
    ("部门", "users:department_list", "users.department", "view"),
    ("园区/片区", "users:zone_list", "users.zone", "view"),
    ("用户", "users:user_list", "users.user", "view"),
    ("账号申请", "users:accountrequest_list", "users.accountrequest", "view"),
    ("产业链", "enterprises:industrychain_list", "enterprises.industrychain", "view"),
    ("诉求类别", "demands:demandcategory_list", "demands.demandcategory", "view"),
    ("经济指标", "economy:indicator_list", "economy.indicator", "change"),
    ("月份锁定", "economy:periodlock_list", "economy.periodlock", "add"),
    ("计量单位", "figures:unit_list", "figures.unit", "change"),
    ("汇率", "figures:exchangerate_list", "figures.exchangerate", "change"),
    ("亮灯规则", "projects:lightrule_list", "projects.lightrule", "change"),
    ("目标亮灯规则", "targets:lightband_list", "targets.lightband", "change"),
    ("工作日历", "core:calendarday_list", "core.calendarday", "view"),
    ("日历年度", "core:calendaryear_list", "core.calendaryear", "change"),
    ("权限", "users:objectpermission_list", "users.objectpermission", "view"),
    ("变更记录", "core:objectchange_list", "core.objectchange", "view"),
    ("安全事件", "core:auditevent_list", "core.auditevent", "view"),
]


# --- the registry itself ------------------------------------------------------------------------


def test_stores_cannot_be_replaced_or_removed():
    with pytest.raises(TypeError):
        registry["search"] = []
    with pytest.raises(TypeError):
        del registry["demo"]
    with pytest.raises(KeyError, match="no store"):
        registry["widgets"]
    assert set(registry) == {
        "demo", "search", "importers", "exporters", "navigation", "home_panels", "figures",
        "cached_pages", "signals",
    }  # fmt: skip


def test_a_second_registration_under_one_name_is_refused():
    before = {key: len(value) for key, value in registry.items()}
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register_demo("economy", "yuanqu.economy.demo.generate_economy", order=99)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register_search(Enterprise, ["name"])
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register_navigation(
            "modules", "企业库", "enterprises:enterprise_list", "enterprises.enterprise", order=1
        )
    with pytest.raises(ImproperlyConfigured, match="no menu"):
        reg.register_navigation("footer", "关于", "home", None, order=1)
    with pytest.raises(ImproperlyConfigured, match="slot"):
        reg.register_home_panel("weather", "x.y", order=1, slot="sidebar")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register_exporter("monthly", "yuanqu.economy.exporters.MonthlyExporter")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register_cached_page("economy:cockpit")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.register_page_state("unread_notifications", "x.y")
    assert {key: len(value) for key, value in registry.items()} == before
    assert len(registry["cached_pages"]["views"]) == 5 and len(registry["cached_pages"]["state"]) == 1


def test_cached_pages_name_pages_that_exist():
    """Each opted-in page is a URL name of the site; a misspelt name would silently cache nothing."""
    from django.urls import get_resolver

    names = set()

    def walk(patterns, namespace=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif entry.name:
                names.add(namespace + entry.name)

    walk(get_resolver().url_patterns)
    assert registry["cached_pages"]["views"] == {
        "economy:cockpit", "economy:indicator", "enterprises:enterprise_list",
        "enterprises-api:enterprise-list", "supervision:my_work",
    }  # fmt: skip
    assert registry["cached_pages"]["views"] <= names


def test_apps_provide_their_figures_to_the_catalogue(db):
    from yuanqu.figures.catalogue import figures

    assert list(registry["figures"]) == ["enterprises", "economy", "evaluation", "demands", "supervision", "investment", "projects"]
    keys = list(figures())
    assert "enterprises.hnte_new" in keys and "economy.industrial_output" in keys
    assert len(keys) == len(set(keys))


# --- demo ---------------------------------------------------------------------------------------


def test_demo_generators_run_in_the_order_of_the_former_command():
    assert [g.name for g in reg.demo_generators()] == [
        "economy", "evaluation", "demands", "projects", "investment", "peers", "targets", "supervision", "documents",
    ]  # fmt: skip
    assert all(callable(reg.resolve(g.generator)) for g in reg.demo_generators())


def test_a_generator_ordered_before_what_it_requires_is_refused():
    store = registry["demo"]
    saved = list(store)
    try:
        reg.register_demo("grid", "yuanqu.economy.demo.generate_economy", order=5, requires=["projects"])
        with pytest.raises(ImproperlyConfigured, match="“grid”.*projects"):
            reg.demo_generators()
    finally:
        store[:] = saved
    assert [g.name for g in reg.demo_generators()][-1] == "documents"


# --- navigation ---------------------------------------------------------------------------------


def test_menus_keep_their_entries_labels_and_order():
    assert [(e.label, e.url_name, e.model_label) for e in reg.navigation("modules")] == MODULES
    assert [(e.label, e.url_name, e.model_label) for e in reg.navigation("enterprise")] == ENTERPRISE_MODULES
    assert [(e.label, e.url_name, e.model_label, e.action) for e in reg.navigation("admin")] == ADMIN


def former_menus(user):
    """The menus as the former hand-written lists drew them for ``user``."""

    def url(name, label, *args):
        model = apps.get_model(label)
        return url_if_open(user, name, *args, default=has_perm(user, model, "view"))

    if user.role == Role.ENTERPRISE:
        modules = []
        for label, name, model_label in ENTERPRISE_MODULES:
            args = [user.enterprise_id] if name == "enterprises:enterprise" else []
            if link := url(name, model_label, *args):
                modules.append({"label": label, "url": link})
    else:
        modules = [
            {"label": label, "url": url(name, model_label) if name else None}
            for label, name, model_label in MODULES
            if name is None or url(name, model_label)
        ]
    admin = [
        {"label": label, "url": url(name, model_label)}
        for label, name, model_label, action in ADMIN
        if has_perm(user, apps.get_model(model_label), action) and url(name, model_label)
    ]
    return modules, admin


def test_every_role_sees_the_menus_it_saw_before(leader, alice, grid_worker, enterprise_user, sysadmin, secadmin,
                                                 auditor, inspector):  # fmt: skip
    for user in (leader, alice, grid_worker, enterprise_user, sysadmin, secadmin, auditor, inspector):
        assert (module_items(user), admin_items(user)) == former_menus(user), user.username
    leader_menu = module_items(leader)
    assert [i["label"] for i in leader_menu] == [m[0] for m in MODULES]
    assert [i["label"] for i in leader_menu if i["url"] is None] == ["网格走访", "土地载体"]
    own = module_items(enterprise_user)
    assert [i["label"] for i in own] == [m[0] for m in ENTERPRISE_MODULES]
    assert own[0]["url"] == reverse("enterprises:enterprise", args=[enterprise_user.enterprise_id])
    assert [i["label"] for i in admin_items(auditor)] == ["变更记录", "安全事件"]


# --- start page ---------------------------------------------------------------------------------


def test_start_page_shows_the_registered_panels_in_order(client, leader, owned_enterprise):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    my_work, cockpit, total = (page.index(s) for s in ("我的待办</a>", "经济运行驾驶舱</a>", "企业总数"))
    assert my_work < cockpit < total
    assert re.search(r"企业总数</div><div class=\"card-value\">1<small>", page)


def test_enterprise_user_start_page_has_its_own_pages_and_no_counts(
    client, enterprise_user, other_enterprise
):
    client.force_login(enterprise_user)
    page = client.get(reverse("home")).content.decode()
    assert "本企业" in page and "我的诉求" in page
    assert "企业总数" not in page and "经济运行驾驶舱" not in page


def test_start_page_without_enterprise_grant_shows_no_counts(client, sysadmin, owned_enterprise):
    client.force_login(sysadmin)
    page = client.get(reverse("home")).content.decode()
    assert "企业总数" not in page and "我的待办</a>" not in page


# --- search -------------------------------------------------------------------------------------


def test_search_looks_in_every_registered_model_within_the_grant(leader, enterprise_user, owned_enterprise,
                                                                 other_enterprise):  # fmt: skip
    assert [e.model._meta.label for e in registry["search"]] == [
        "enterprises.Enterprise", "economy.Indicator", "demands.Demand", "investment.Lead", "projects.KeyProject",
    ]  # fmt: skip
    found = {str(r["label"]): r for r in global_search(leader, "有限公司")}
    assert found["企业"]["total"] == 2
    indicator = Indicator.objects.get(code="industrial_output")
    assert any(indicator in r["objects"] for r in global_search(leader, indicator.name))
    own = global_search(enterprise_user, "有限公司")
    assert [obj for r in own for obj in r["objects"]] == [owned_enterprise]


# --- import and export --------------------------------------------------------------------------


IMPORTERS = ["demands", "enterprises", "investment-leads", "monthly", "peers", "project-progress", "projects",
             "targets",
             "tasks", "zone-figures"]  # fmt: skip


def test_import_and_export_lists_come_from_the_registry(db, tmp_path):
    assert importer_names() == IMPORTERS
    assert sorted(reg.importers()) == IMPORTERS
    assert sorted(reg.exporters()) == ["monthly", "targets"]
    with pytest.raises(CommandError) as exc:
        call_command("import", "nothing", str(tmp_path / "x.xlsx"))
    assert f"可用：{'、'.join(IMPORTERS)}" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("export", "nothing", str(tmp_path / "x.xlsx"))
    assert f"可用：{'、'.join(IMPORTERS)}" in str(exc.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_a_registered_export_runs(db, tmp_path, owned_enterprise):
    out = io.StringIO()
    call_command("export", "monthly", str(tmp_path / "m.xlsx"), period="2024-08", stdout=out)
    assert (tmp_path / "m.xlsx").stat().st_size > 0
    assert "已导出企业月报（2024年8月）" in out.getvalue()
    assert AuditEvent.objects.filter(kind="export", data__model="economy.enterprisemonthlyvalue").count() == 1


# --- signals ------------------------------------------------------------------------------------


def test_signal_dependencies_are_connected_before_their_dependants():
    uids = [c.uid for c in registry["signals"]]
    assert uids[:3] == ["core.changelog.snapshot", "core.changelog.log_save", "core.changelog.log_delete"]
    for position, connection in enumerate(registry["signals"]):
        assert set(connection.after) <= set(uids[:position]), connection.uid
    rollup = next(c for c in registry["signals"] if c.uid == "economy.rollups.enterprise_saved")
    assert rollup.after == (SNAPSHOT,) and rollup.signal is post_save
    assert any(key[0][0] == SNAPSHOT for key in pre_save.receivers)


def test_a_receiver_whose_dependency_is_missing_is_refused():
    count = len(registry["signals"])

    def receiver(sender, **kwargs):
        raise AssertionError("never connected")

    with pytest.raises(ImproperlyConfigured, match="relies on"):
        reg.connect_signal(post_save, receiver, uid="test.rollup", after=["land.snapshot"])
    assert len(registry["signals"]) == count
    assert not any(key[0][0] == "test.rollup" for key in post_save.receivers)


def test_core_snapshot_survives_the_change_log_for_later_receivers(owned_enterprise, west):
    """Whatever the receiver order, a post_save receiver reads the row from before the save."""
    seen = []

    def late(sender, instance, **kwargs):
        seen.append(state_before_save(instance))

    post_save.connect(late, sender=Enterprise, dispatch_uid="test.late")  # after core's log_save
    try:
        old_zone = owned_enterprise.zone_id
        owned_enterprise.zone = west
        owned_enterprise.save()
    finally:
        post_save.disconnect(sender=Enterprise, dispatch_uid="test.late")
    assert seen[0]["zone"] == old_zone != west.pk


def test_moving_an_enterprise_moves_its_values_between_zone_rollups(owned_enterprise, east, west):
    output = Indicator.objects.get(code="industrial_output")
    aug = datetime.date(2024, 8, 1)
    record_enterprise_value(owned_enterprise, output, aug, month_value=D(10), ytd_value=D(80))

    def ytd(zone):
        return IndicatorRollup.objects.get(indicator=output, period=aug, zone=zone).ytd_sum

    assert ytd(east) == D(80)
    owned_enterprise.zone = west
    owned_enterprise.save()
    assert ytd(west) == D(80)
    assert not IndicatorRollup.objects.filter(
        indicator=output, period=aug, zone=east, ytd_sum__isnull=False
    ).exists()
