import datetime
from collections.abc import Mapping

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import ModelFormMetaclass
from django.forms.widgets import DateTimeBaseInput
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from yuanqu.users.permissions import restrict

from .text import control_character_error

# The database's integers are 64-bit (BigIntegerField, ids): a number past them is no value
# and no id, and reaching the database it is a server error, not a form error.
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1

# What a browser's date and datetime-local inputs accept and post (ISO 8601). The localised
# zh-hans format (2026/01/02) is rejected by the input: it shows blank and posts nothing.
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The one date widget: ``<input type=date>`` with its value as 2026-01-02."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs=attrs, format=format or DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    """The one datetime widget: ``<input type=datetime-local>`` with 2026-01-02T09:30."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs=attrs, format=format or DATETIME_FORMAT)


class DateField(forms.DateField):
    """A date typed in our widget; reads 2026-01-02 as well as the localised 2026/01/02."""

    widget = DateInput


def _to_minute(value):
    if isinstance(value, str):
        try:
            value = forms.DateTimeField().to_python(value)
        except forms.ValidationError:
            return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(second=0, microsecond=0, tzinfo=None)
    return value


class DateTimeField(forms.DateTimeField):
    """A moment typed in our widget (minutes); reads 2026-01-02T09:30 and 2026-01-02 09:30.

    The widget shows minutes, so a stored moment with seconds is unchanged when the minute
    posted is the stored one (see ``keep_untouched_moments``)."""

    widget = DateTimeInput

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            posted = self.to_python(data)
        except forms.ValidationError:
            return True
        return _to_minute(initial) != _to_minute(posted)


def _swap(field, widget_class):
    old = field.widget
    attrs = {k: v for k, v in old.attrs.items() if k != "type"}
    new = widget_class(attrs=attrs)
    new.is_required = old.is_required
    new.is_localized = old.is_localized
    field.widget = new


def use_date_widgets(fields):
    """Give every date and datetime field among ``fields`` (a name → form field mapping) our
    widget, keeping its attributes. Hidden inputs and other deliberate choices stay."""
    for field in fields.values():
        widget = field.widget
        if isinstance(field, forms.DateTimeField) and isinstance(widget, DateTimeBaseInput):
            if not isinstance(widget, DateTimeInput):
                _swap(field, DateTimeInput)
        elif isinstance(field, forms.DateField) and isinstance(widget, DateTimeBaseInput):
            if not isinstance(widget, DateInput):
                _swap(field, DateInput)
    return fields


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several records by id, an id past the database's integers refused as any unknown id
    (Django's ``__in`` lookup sends it to the database as is)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if field.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
            try:
                values = list(value)
            except TypeError:
                values = []
            for pk in values:
                text = str(pk).strip()
                digits = text[1:] if text.startswith("-") else text
                if digits.isascii() and digits.isdigit() and not INTEGER_MIN <= int(text) <= INTEGER_MAX:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": text[:30]},
                    )
        return super()._check_values(value)


def within_years(value):
    """A date or a moment in the years any record may name (``periods.FIRST_YEAR`` to
    ``LAST_YEAR``): month and working-day arithmetic around 0001-01-01 or 9999-12-31 leaves
    Python's dates."""
    from .periods import FIRST_YEAR, LAST_YEAR

    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            f"日期{value.year:04d}-{value.month:02d}-{value.day:02d}超出范围，年份应在{FIRST_YEAR}–{LAST_YEAR}之间",
            code="year_range",
        )


def bound_numbers(fields):
    """Every integer field among ``fields`` kept within the database's integers, every date
    within the years a record may name, and every multiple model choice checked for ids past
    the integers (declared or from the model)."""
    for field in fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField) and within_years not in field.validators:
            field.validators.append(within_years)
        if type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = ModelMultipleChoiceField  # a subclass adding one check
        elif isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.FloatField | forms.DecimalField
        ):
            if field.max_value is None:
                field.max_value = INTEGER_MAX
                field.validators.append(MaxValueValidator(INTEGER_MAX))
            if field.min_value is None:
                field.min_value = INTEGER_MIN
                field.validators.append(MinValueValidator(INTEGER_MIN))
    return fields


TEMPORAL = (datetime.date, datetime.time)  # datetime.datetime is a date


def plain_data(data, fields):
    """Form data given as a parsed JSON body (the API passing ``request.data`` to a page's
    form), with what Django's fields cannot take read as text, as a browser would post it: a
    number, a yes/no, a list or an object for a date or time field (Django calls ``strip()``
    on it: a server error), a list or an object for a field of one value. Everything else
    (the Python values an importer gives: dates, numbers, ids) is left as it is."""
    if data is None or isinstance(data, MultiValueDict):
        return data
    if not isinstance(data, Mapping):  # a JSON body that is a list, a number, a string
        return {}
    plain = dict(data)
    for name, value in data.items():
        field = fields.get(name)
        if (
            field is None
            or value is None
            or isinstance(value, (str, *TEMPORAL))
            or isinstance(field, forms.FileField)
        ):
            continue
        several = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        if isinstance(value, list | tuple | dict) and not several:
            plain[name] = str(value)
        elif isinstance(field, forms.DateField | forms.DateTimeField | forms.TimeField) and not isinstance(
            value, list | tuple
        ):
            plain[name] = str(value)
    return plain


def refuse_control_characters(form):
    """A text a user typed with a control character in it (ESC, backspace …) is a field
    error naming the field: such a character is invisible, and no export could hold it."""
    for name, value in list(form.cleaned_data.items()):
        if isinstance(value, str) and (
            message := control_character_error(value, form.fields[name].label or name)
        ):
            form.add_error(name, message)


def date_formfield(db_field, **kwargs):
    """``formfield_callback`` of our model forms: model date and datetime fields become our
    form fields (and widgets) unless the form names another field class."""
    from django.db import models

    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


def keep_untouched_moments(form):
    """A datetime field the user left as shown keeps the stored value to the microsecond."""
    for name, field in form.fields.items():
        if not isinstance(field, DateTimeField) or name not in form.cleaned_data or field.disabled:
            continue
        initial = form.initial.get(name, field.initial)  # not get_initial_for_field: it drops µs
        if isinstance(initial, datetime.datetime) and not field.has_changed(initial, form[name].data):
            form.cleaned_data[name] = initial


def restrict_choices(fields, user):
    """Every model choice among ``fields`` (a name → form field mapping) limited to what
    ``user`` may view, so a choice list never shows a record the user's grants hide.

    A field that needs another rule says so on itself: ``field.restrict_choices = "change"``
    (another action) or ``False`` (any record, with a comment saying why). Models outside
    the grant system (no ``restrict_paths``: content types …) are left as they are, as in
    the API's related fields.

    ``user=None`` is the command line acting with full rights (``importing.command_user``):
    nothing is limited. A page always has a user (an anonymous one gets empty lists), and
    ``utilities/tests/test_choices.py`` checks that every page builds its forms and
    filtersets with ``user=`` / ``request=``."""
    if user is None:
        return fields
    for field in fields.values():
        if not isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
            continue
        action = getattr(field, "restrict_choices", "view")
        queryset = field.queryset
        if not action or queryset is None or not hasattr(queryset.model, "restrict_paths"):
            continue
        field.queryset = restrict(queryset, user, action)
    return fields


class RestrictedChoicesMixin:
    """Called last, once every ``__init__`` in the form's classes has set its querysets."""

    def __call__(cls, *args, **kwargs):
        form = super().__call__(*args, **kwargs)
        restrict_choices(form.fields, getattr(form, "user", None))
        return form


class DateWidgetsMetaclass(RestrictedChoicesMixin, forms.forms.DeclarativeFieldsMetaclass):
    """Plain forms: every date and datetime field gets our widget, declared or inherited;
    every model choice is restricted by the form's user."""

    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)
        use_date_widgets(cls.base_fields)
        bound_numbers(cls.base_fields)
        return cls


class DateModelFormMetaclass(RestrictedChoicesMixin, ModelFormMetaclass):
    """Model forms: the model's date fields come as our fields, and any date field a form
    declares or lists in ``Meta.widgets`` is given our widget, so no form can forget it;
    every model choice (foreign keys included) is restricted by the form's user."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "model", None) is not None:
            if getattr(meta, "formfield_callback", None) is None:
                meta.formfield_callback = staticmethod(date_formfield)
        cls = super().__new__(mcs, name, bases, attrs)
        use_date_widgets(cls.base_fields)
        bound_numbers(cls.base_fields)
        return cls


class UserFormMixin:
    """Forms receive the acting user (for defaults and choice limits); data from a JSON body
    is read as posted text (``plain_data``), and a typed text with a control character is a
    field error."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = plain_data(self.data, self.fields)
        bound_numbers(self.fields)  # fields an __init__ added

    def _clean_fields(self):
        super()._clean_fields()
        refuse_control_characters(self)


class BaseForm(UserFormMixin, forms.Form, metaclass=DateWidgetsMetaclass):
    """A plain form whose date fields use our widgets and whose model choices are those
    the acting user (``user=``) may view."""


class BaseModelForm(UserFormMixin, forms.ModelForm, metaclass=DateModelFormMetaclass):
    """A model form with our date widgets, its model choices restricted by ``user=``."""

    def _clean_fields(self):
        super()._clean_fields()  # UserFormMixin's: control characters refused
        keep_untouched_moments(self)

    def _save_m2m(self):
        """The many-to-many fields saved as one change-log update (not a remove and an add)."""
        from yuanqu.core.changelog import logged_m2m

        with logged_m2m(self.instance):
            super()._save_m2m()
