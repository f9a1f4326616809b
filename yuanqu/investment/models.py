"""The investment pipeline (招商引资): leads, their dated stage changes, funds in place."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import FundsKind, Region, Source, Stage, TalentTier, next_stage

MONEY = {"max_digits": 14, "decimal_places": 2}


class Lead(PrimaryModel):
    """One investment lead (招商线索/项目), followed from first contact to production."""

    name = models.CharField(_("项目名称"), max_length=200, unique=True)
    investor = models.CharField(_("投资方"), max_length=200)
    origin_region = models.CharField(_("来源地区"), max_length=20, choices=Region.choices)
    origin_city = models.CharField(_("来源城市"), max_length=50, blank=True, help_text=_("例如：宁波"))
    in_province = models.BooleanField(_("省内投资方"), default=False)
    industry_chain = models.ForeignKey(
        "enterprises.IndustryChain",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("产业链"),
    )
    content = models.TextField(_("建设内容"), blank=True)
    contracted_investment_wan = models.DecimalField(_("协议投资额（万元）"), default=0, **MONEY)
    expected_tax_wan = models.DecimalField(_("预计年税收（万元）"), null=True, blank=True, **MONEY)
    expected_output_wan = models.DecimalField(_("预计年产值（万元）"), null=True, blank=True, **MONEY)
    land_mu = models.DecimalField(_("用地（亩）"), max_digits=10, decimal_places=2, null=True, blank=True)
    power_kva = models.PositiveIntegerField(_("用电（千伏安）"), null=True, blank=True)
    source = models.CharField(_("招商方式"), max_length=20, choices=Source.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("包联领导"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="investment_leads", verbose_name=_("招商专班")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    stage_changed_on = models.DateField(_("阶段变更日期"))
    lead_on = models.DateField(_("线索日期"))
    negotiating_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    registered_on = models.DateField(_("注册落地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("竣工投产日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_leads",
        verbose_name=_("落地企业"),
    )
    key_project = models.ForeignKey(  # set once the lead reaches 开工 and enters the project book
        "projects.KeyProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("重点项目"),
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["-lead_on", "-id"]
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:lead", args=[self.pk])

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.stage)

    @property
    def origin_display(self) -> str:
        region = self.get_origin_region_display()
        return f"{region}·{self.origin_city}" if self.origin_city else region


class LeadEvent(ChildMixin, ChangeLoggedModel):
    """A dated stage change of a lead: from, to, who moved it and why."""

    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, related_name="events", verbose_name=_("招商项目")
    )
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(  # empty: the command line (an import without --user)
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    date = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)

    parent_field = "lead"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "lead__department"}

    class Meta:
        ordering = ["lead", "date", "id"]
        verbose_name = _("阶段变更记录")
        verbose_name_plural = _("阶段变更记录")

    def __str__(self):
        return f"{self.lead} {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class FundsInPlace(ChildMixin, ChangeLoggedModel):
    """Capital actually in place (实际到位资金) reported for a lead on a date."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="funds", verbose_name=_("招商项目"))
    date = models.DateField(_("日期"))
    amount_wan = models.DecimalField(_("到位资金（万元）"), **MONEY)
    kind = models.CharField(_("资金类别"), max_length=20, choices=FundsKind.choices)

    parent_field = "lead"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "lead__department"}

    class Meta:
        ordering = ["lead", "date", "id"]
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")

    def __str__(self):
        return f"{self.lead} {self.date:%Y-%m-%d} {self.amount_wan}万元"

    def clean(self):  # the page's form and the API both run it
        errors = not_in_future(self.date)
        if self.amount_wan is not None and self.amount_wan <= 0:
            errors["amount_wan"] = "到位资金须大于0"
        if errors:
            raise ValidationError(errors)


class TalentIntroduction(ChildMixin, ChangeLoggedModel):
    """Talent a deal brings in (人才引进): a count by tier."""

    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, related_name="talents", verbose_name=_("招商项目")
    )
    date = models.DateField(_("日期"))
    tier = models.CharField(_("人才层次"), max_length=20, choices=TalentTier.choices)
    count = models.PositiveIntegerField(_("人数"))

    parent_field = "lead"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "lead__department"}

    class Meta:
        ordering = ["lead", "date", "id"]
        verbose_name = _("人才引进")
        verbose_name_plural = _("人才引进")

    def __str__(self):
        return f"{self.lead} {self.get_tier_display()}{self.count}人"

    def clean(self):
        errors = not_in_future(self.date)
        if self.count is not None and self.count < 1:
            errors["count"] = "人数至少为1"
        if errors:
            raise ValidationError(errors)


def not_in_future(date) -> dict:
    return {"date": "日期不能晚于今天"} if date and date > timezone.localdate() else {}
