from django import forms
from django.contrib.auth import password_validation

from yuanqu.utilities.forms import BaseModelForm

from .choices import Action, Role
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


ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


class UserForm(BaseModelForm):
    """Account upkeep by the system administrator: any role but the three administrators'
    (三权分立: roles of administrators are the security administrator's to give)."""

    password = forms.CharField(
        label="初始密码",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="新建用户时必填；修改用户时留空表示不改密码。",
    )

    class Meta:
        model = User
        fields = ["username", "name", "role", "department", "zone", "enterprise", "mobile", "email", "is_active"]

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
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
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


class ObjectPermissionForm(BaseModelForm):
    model = forms.ChoiceField(label="对象", choices=permission_model_choices)
    actions = forms.MultipleChoiceField(label="操作", choices=Action.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ObjectPermission
        fields = ["name", "description", "enabled", "role", "user", "model", "actions", "constraint"]
