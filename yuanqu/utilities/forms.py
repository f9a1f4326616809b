from django import forms


class UserFormMixin:
    """Forms receive the acting user (for defaults and choice limits)."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class BaseModelForm(UserFormMixin, forms.ModelForm):
    pass
