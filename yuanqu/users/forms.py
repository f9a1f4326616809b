from django import forms
from django.contrib.auth import password_validation

from yuanqu.utilities.forms import BaseModelForm

from .choices import ADMIN_ROLES, Action, RequestKind, Role
from .models import Department, ObjectPermission, User, Zone
from .permissions import permission_model_choices


class DepartmentForm(BaseModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "order"]


class ZoneForm(BaseModelForm):
    class Meta:
        model = Zone
        fields = ["name", "kind", "parent", "code", "area_km2", "order"]


__all__ = ["ADMIN_ROLES"]


class UserForm(BaseModelForm):
    """Account upkeep by the system administrator: any role but the three administrators'
    (三权分立: roles of administrators are the security administrator's to give)."""

    password = forms.CharField(
        label="初始密码",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="新建用户时必填；修改用户时留空表示不改密码。密码经安全管理员批准后生效，用户首次登录须修改。",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "role",
            "department",
            "zone",
            "enterprise",
            "mobile",
            "email",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in Role.choices if c[0] not in ADMIN_ROLES]
        # An enterprise user's account is bound to its enterprise by the system administrator,
        # who holds no grant on the registry's records (三权分立): the list names them all.
        self.fields["enterprise"].restrict_choices = False

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("password"):
            self.add_error("password", "新建用户须设置初始密码")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Checked once the instance holds the typed username, name and e-mail, so a password
        # too like them is refused for a new user too.
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)

    def save(self, commit=True):
        """The account is saved; its password is only asked for (the two-person rule,
        yuanqu.users.accounts): a new account cannot log in until the security administrator
        approves, a reset leaves the old password in place until then."""
        from .accounts import request_password

        user = super().save(commit=False)
        password = self.cleaned_data.get("password")
        is_new = user.pk is None
        if is_new:
            user.set_unusable_password()
        if commit:
            user.save()
            if password:
                kind = RequestKind.CREATE if is_new else RequestKind.RESET_PASSWORD
                user._account_request = request_password(user, password, self.user, kind)
        return user


class SecurityUserForm(BaseModelForm):
    """What the security administrator changes on an account: its role and whether it may
    log in — never its password or identity."""

    class Meta:
        model = User
        fields = ["role", "is_active"]

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == Role.ENTERPRISE and not self.instance.enterprise_id:
            raise forms.ValidationError("该账号未绑定企业，不能设为企业用户；请系统管理员先绑定企业")
        if role == Role.GRID and not self.instance.zone_id:
            raise forms.ValidationError("该账号未指定负责片区，不能设为网格员；请系统管理员先指定片区")
        return role

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in ADMIN_ROLES and self.instance.object_permissions.exists():
            self.add_error(
                "role",
                f"该账号有单独授予的权限，不能设为{Role(role).label}；请先撤销这些权限（管理员只有系统预置的权限）",
            )
        return cleaned


class ObjectPermissionForm(BaseModelForm):
    model = forms.ChoiceField(label="对象", choices=permission_model_choices)
    actions = forms.MultipleChoiceField(
        label="操作", choices=Action.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ObjectPermission
        fields = ["name", "description", "enabled", "role", "user", "model", "actions", "constraint"]

    def clean(self):
        cleaned = super().clean()
        editor = self.user
        if editor is not None:
            if cleaned.get("user") is not None and cleaned["user"].pk == editor.pk:
                self.add_error("user", "不能给自己授权")
            if cleaned.get("role") and cleaned["role"] == editor.role:
                self.add_error("role", "不能给自己所在的角色授权")
        return cleaned
