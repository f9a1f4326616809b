"""Users, departments, the zone tree and permissions as data."""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel
from yuanqu.utilities.crypto import BlindIndexField, EncryptedTextField
from yuanqu.utilities.privacy import MOBILE

from .choices import ADMIN_ROLES, Action, Constraint, RequestKind, RequestStatus, Role, ZoneKind


class Department(ChangeLoggedModel):
    """A department (部门) of the committee; every user belongs to one."""

    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    restrict_paths = {"own_department": "pk"}

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("users:department", args=[self.pk])


class Zone(ChangeLoggedModel):
    """A park (园区) or one of its areas (片区); parks may nest, as in “一核两区”."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=ZoneKind.choices, default=ZoneKind.AREA)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    code = models.CharField(_("编码"), max_length=30, blank=True)
    area_km2 = models.DecimalField(
        _("面积（平方公里）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveIntegerField(_("排序"), default=100)

    restrict_paths = {"own_zone": "pk"}

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("园区/片区")
        verbose_name_plural = _("园区/片区")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="zone_unique_name_in_parent")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("users:zone", args=[self.pk])

    def clean(self):
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": "上级不能是自身或自身的下级"})
            seen.add(node.pk)
            node = node.parent

    def subtree_ids(self) -> list[int]:
        """This zone and every zone below it."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Zone.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class YuanquUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # There is no all-powerful account: the "superuser" is a system administrator.
        extra_fields.setdefault("role", Role.SYSADMIN)
        extra_fields["is_superuser"] = False
        extra_fields.setdefault("is_staff", False)
        if extra_fields.get("department") is None and extra_fields.get("department_id") is None:
            extra_fields["department"], _ = Department.objects.get_or_create(name="党政办公室")
        return self._create_user(username, email, password, **extra_fields)


class User(ChangeLoggedModel, AbstractUser):
    """A person who logs in: staff of a department, a grid worker or an enterprise's user."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="users", verbose_name=_("部门")
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("负责片区"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属企业"),
    )
    # A person's mobile: personal data, encrypted at rest like a contact's (utilities/crypto.py).
    mobile = EncryptedTextField(_("手机号"), max_length=20, blank=True)
    mobile_bidx = BlindIndexField(source="mobile", kind=MOBILE)
    failed_login_count = models.PositiveIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    # Set when an administrator creates the account or resets its password: the user must
    # choose a password of their own before anything else.
    must_change_password = models.BooleanField(_("须修改密码"), default=False, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now, editable=False)

    objects = YuanquUserManager()
    restrict_paths = {"own_department": "department", "own_zone": "zone", "own_enterprise": "enterprise"}
    REQUIRED_FIELDS = ["email"]
    personal_fields = ("mobile",)

    class Meta:
        ordering = ["department__order", "username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.name or self.username

    def get_absolute_url(self):
        return reverse("users:user", args=[self.pk])

    def clean(self):
        super().clean()
        if self.role == Role.ENTERPRISE and not self.enterprise_id:
            raise ValidationError({"enterprise": "企业用户必须绑定一家企业"})
        if self.role != Role.ENTERPRISE and self.enterprise_id:
            raise ValidationError({"enterprise": "只有企业用户可以绑定企业"})
        if self.role == Role.GRID and not self.zone_id:
            raise ValidationError({"zone": "网格员必须指定负责片区"})

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # API tokens made before this moment stop working (yuanqu.users.tokens).
        self.password_changed_at = timezone.now()

    def password_expired(self) -> bool:
        from django.conf import settings

        days = settings.YUANQU_PASSWORD_MAX_AGE_DAYS
        if not days or self.password_changed_at is None:
            return False
        return self.password_changed_at + timedelta(days=days) <= timezone.now()


class LoginThrottle(models.Model):
    """Failed logins from one address, whatever the usernames: past the limit within the
    window the address is locked (yuanqu.users.auth). Kept out of the change log — the audit
    trail records each failure and each lock."""

    address = models.GenericIPAddressField(_("来源地址"), unique=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_start = models.DateTimeField(_("计数起始"), default=timezone.now)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录来源限制")
        verbose_name_plural = _("登录来源限制")

    def __str__(self):
        return self.address


# The audit trail: granted to auditors only, read-only.
AUDIT_MODELS = {"core.objectchange", "core.auditevent"}


def preset_allows(role, model, actions, constraint) -> bool:
    """Whether a role grant stays within one of the system's preset grants for the role
    (the same model, no action the preset lacks, the preset's scope or a narrower one)."""
    from .defaults import DEFAULT_PERMISSIONS

    for _name, preset_role, preset_model, preset_actions, preset_constraint in DEFAULT_PERMISSIONS:
        if preset_role == role and preset_model == model and set(actions) <= set(preset_actions):
            if preset_constraint == Constraint.ALL or preset_constraint == constraint:
                return True
    return False


class ObjectPermissionQuerySet(models.QuerySet):
    def delete(self):
        # The bulk path refuses what a single delete refuses: the auditor's audit grant.
        if any(p.protects_audit() for p in self):
            raise ValidationError("审计员的审计记录授权不能撤销")
        return super().delete()


class ObjectPermission(ChangeLoggedModel):
    """A grant: a role or one user may take these actions on one model, within a constraint."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="object_permissions",
        verbose_name=_("用户"),
    )
    model = models.CharField(_("对象"), max_length=60)
    actions = models.JSONField(_("操作"), default=list)
    constraint = models.CharField(
        _("范围"), max_length=20, choices=Constraint.choices, default=Constraint.ALL
    )
    is_default = models.BooleanField(_("系统预置"), default=False, editable=False)

    objects = ObjectPermissionQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["model", "role", "name"]
        verbose_name = _("权限")
        verbose_name_plural = _("权限")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("users:objectpermission", args=[self.pk])

    def clean(self):
        from .permissions import permission_model_choices

        if bool(self.role) == bool(self.user_id):
            raise ValidationError("请在“角色”和“用户”中选择且只选择一项")
        if self.model not in dict(permission_model_choices()):
            raise ValidationError({"model": f"未知的对象：{self.model}"})
        bad = [a for a in self.actions or [] if a not in Action.values]
        if bad or not self.actions:
            raise ValidationError({"actions": "请选择至少一项有效操作"})
        if self.model in AUDIT_MODELS:
            # 三权分立: the audit trail is read by auditors only, and never changed.
            if self.role != Role.AUDITOR or set(self.actions) - {Action.VIEW, Action.EXPORT}:
                raise ValidationError({"model": "审计记录只能授予审计员角色“查看/导出”操作"})
        if self.role == Role.AUDITOR and self.model not in AUDIT_MODELS:
            raise ValidationError({"role": "审计员只能查看审计记录"})
        # 三权分立 as a rule: an administrator holds only what the system presets for its role
        # — never a grant made for one administrator, never a wider preset.
        if self.user_id and self.user.role in ADMIN_ROLES:
            raise ValidationError(
                {"user": f"不能单独给{self.user.get_role_display()}账号授权；管理员只有系统预置的权限"}
            )
        if self.role in ADMIN_ROLES and not preset_allows(
            self.role, self.model, self.actions, self.constraint
        ):
            raise ValidationError(
                {"role": f"不能给{self.get_role_display()}授予系统预置以外的权限（三权分立）"}
            )
        # Nobody revokes or narrows the auditor's read of the audit trail.
        if self.pk:
            before = ObjectPermission.objects.filter(pk=self.pk).first()
            if before is not None and before.protects_audit():
                narrowed = (
                    self.role != before.role
                    or self.model != before.model
                    or not self.enabled
                    or set(before.actions) - set(self.actions)
                    or self.constraint != before.constraint
                )
                if narrowed:
                    raise ValidationError("审计员的审计记录授权不能撤销、停用或缩小")

    def protects_audit(self) -> bool:
        """The auditor role's grant on the audit trail: it may be neither revoked nor narrowed."""
        return self.role == Role.AUDITOR and self.model in AUDIT_MODELS and self.user_id is None

    def delete(self, *args, **kwargs):
        if self.protects_audit():
            raise ValidationError("审计员的审计记录授权不能撤销")
        return super().delete(*args, **kwargs)

    @staticmethod
    def changelog_labels(field_name) -> dict:
        """Models by their Chinese name and actions by label, wherever a user reads them."""
        from django.apps import apps

        if field_name == "model":
            return {m._meta.label_lower: m._meta.verbose_name for m in apps.get_models()}
        return dict(Action.choices)

    def model_display(self) -> str:
        return str(self.changelog_labels("model").get(self.model, self.model))

    def actions_display(self):
        labels = dict(Action.choices)
        return "、".join(str(labels.get(a, a)) for a in self.actions or [])


class AccountRequest(ChangeLoggedModel):
    """The two-person rule on accounts: a new account's first password, or a password reset,
    asked for by the system administrator and applied only once the security administrator
    approves. Until then a new account exists but cannot log in."""

    kind = models.CharField(_("申请事项"), max_length=20, choices=RequestKind.choices)
    account = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="account_requests", verbose_name=_("账号")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    reason = models.CharField(_("驳回理由"), max_length=200, blank=True)
    # The requested password, hashed; named "password" so the change log leaves it out.
    password = models.CharField(_("密码（已加密）"), max_length=128, editable=False)

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("账号申请")
        verbose_name_plural = _("账号申请")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.account.username}"

    def get_absolute_url(self):
        return reverse("users:accountrequest", args=[self.pk])
