"""The enterprise registry (企业库)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.users.permissions import RestrictedQuerySet
from yuanqu.utilities.crypto import BlindIndexField, EncryptedTextField
from yuanqu.utilities.privacy import MOBILE

from .choices import EnterpriseStatus, EnterpriseType, QualificationKind, QualificationLevel, ScaleKind
from .validators import normalise_uscc, validate_uscc


class Industry(models.Model):
    """A class of GB/T 4754-2017 (门类 letter, or 2/3/4-digit 大类/中类/小类 code)."""

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    section = models.CharField(_("门类"), max_length=1, db_index=True)
    division = models.CharField(_("大类"), max_length=2, blank=True, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_list") + f"?industry={self.code}"


class IndustryChain(ChangeLoggedModel):
    """An industry chain (产业链) the zone works on, e.g. 硅基新材料; the list is the zone's own."""

    name = models.CharField(_("产业链"), max_length=50, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("在用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_list") + f"?industry_chain={self.pk}"

    def get_edit_url(self):
        return reverse("enterprises:industrychain_edit", args=[self.pk])


class Enterprise(PrimaryModel):
    """An enterprise of the zone, keyed by its 统一社会信用代码."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital_wan = models.DecimalField(
        _("注册资本（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    enterprise_type = models.CharField(_("企业类型"), max_length=20, choices=EnterpriseType.choices, blank=True)
    industry = models.ForeignKey(
        Industry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": 4},
        related_name="enterprises",
        verbose_name=_("行业（小类）"),
    )
    industry_chain = models.ForeignKey(
        IndustryChain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("产业链"),
    )
    zone = models.ForeignKey(
        "users.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises", verbose_name=_("片区")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    status = models.CharField(
        _("经营状态"), max_length=20, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    is_foreign_invested = models.BooleanField(_("外资企业"), default=False)
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("实际使用的土地面积（自有加租用），亩均效益评价用"),
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department", "own_zone": "zone", "own_enterprise": "pk"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise", args=[self.pk])

    def save(self, *args, **kwargs):
        self.uscc = normalise_uscc(self.uscc)
        super().save(*args, **kwargs)

    @property
    def org_code(self) -> str:
        return self.uscc[8:17]

    def valid_qualifications(self, on=None):
        from .services import valid_on

        return [q for q in self.qualifications.all() if valid_on(q, on)]


class EnterpriseChild(ChildMixin, ChangeLoggedModel):
    """A record that belongs to one enterprise and shows in its history."""

    parent_field = "enterprise"
    restrict_paths = {
        "own_department": "enterprise__department",
        "own_zone": "enterprise__zone",
        "own_enterprise": "enterprise",
    }
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class Contact(EnterpriseChild):
    """A contact person of an enterprise (personal data: the mobile is encrypted at rest and
    masked for users without ``view_personal``)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("企业"))
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    # Encrypted at rest; found by exact number through its blind index (utilities/crypto.py).
    mobile = EncryptedTextField(_("手机号"), max_length=20, blank=True)
    mobile_bidx = BlindIndexField(source="mobile", kind=MOBILE)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    personal_fields = ("mobile",)

    class Meta:
        ordering = ["enterprise", "-is_primary", "name"]
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")

    def __str__(self):
        return f"{self.name}（{self.enterprise}）"


class ScaleRecord(EnterpriseChild):
    """The enterprise was 规上 (or 限上 …) in a statistical year."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="scale_records", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=20, choices=ScaleKind.choices, default=ScaleKind.INDUSTRY)

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("规上记录")
        verbose_name_plural = _("规上记录")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year", "kind"], name="scale_record_unique")]

    def __str__(self):
        return f"{self.enterprise} {self.year}年{self.get_kind_display()}"


class Qualification(EnterpriseChild):
    """One grant of a qualification (资质), never overwritten; validity on a date is computed."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("企业")
    )
    kind = models.CharField(_("资质类型"), max_length=30, choices=QualificationKind.choices)
    level = models.CharField(_("级别"), max_length=20, choices=QualificationLevel.choices, blank=True)
    certificate_no = models.CharField(_("证书号/登记编号"), max_length=60, blank=True)
    granted_on = models.DateField(_("认定日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销/退出日期"), null=True, blank=True)
    rule_version = models.CharField(_("认定依据"), max_length=100, blank=True)
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["enterprise", "-granted_on"]
        verbose_name = _("企业资质")
        verbose_name_plural = _("企业资质")

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()}（{self.granted_on:%Y-%m-%d}）"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.valid_until and self.granted_on and self.valid_until < self.granted_on:
            raise ValidationError({"valid_until": "有效期至不能早于认定日期"})
        if self.revoked_on and self.granted_on and self.revoked_on < self.granted_on:
            raise ValidationError({"revoked_on": "撤销日期不能早于认定日期"})

    def save(self, *args, **kwargs):
        if self.valid_until is None:
            from .services import default_valid_until

            self.valid_until = default_valid_until(self.kind, self.granted_on)
        super().save(*args, **kwargs)
