import django_filters
from django import forms
from django.db.models import Q
from django.forms.widgets import DateTimeBaseInput

from .forms import DateInput, DateTimeInput, restrict_choices
from .periods import FIRST_YEAR, LAST_YEAR
from .selects import fast_selects


def _our_widget(widget, widget_class):
    """Our date widget in place of ``widget`` (a class, an instance or None), keeping attrs."""
    if widget is None:
        return widget_class()
    if isinstance(widget, type):
        return (
            widget
            if issubclass(widget, widget_class) or not issubclass(widget, DateTimeBaseInput)
            else widget_class()
        )
    if isinstance(widget, widget_class) or not isinstance(widget, DateTimeBaseInput):
        return widget
    return widget_class(attrs=widget.attrs)


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q``, a free-text search over the model's ``search_fields``; every date and
    datetime filter, declared or generated, is shown in our date widgets; every model choice
    is one the request's user may view (pages pass ``request=``; without a request, the
    command line, nothing is limited); a yes/no filter offers 全部/是/否. A filter that needs another rule sets
    ``restrict_choices`` on itself (see ``utilities.forms.restrict_choices``). Select widgets
    write their options in one loop (``utilities.selects.fast_selects``), not a template each."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(
        method="search",
        label="搜索",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "关键字"}),
    )

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name, f in filters.items():
            if isinstance(f, django_filters.NumberFilter) and (
                name == "year" or f.field_name.endswith("year")
            ):
                # A year outside these bounds is a form error, not a date the database can't build.
                f.extra.setdefault("min_value", FIRST_YEAR)
                f.extra.setdefault("max_value", LAST_YEAR)
            if issubclass(f.field_class, forms.DateTimeField):
                f.extra["widget"] = _our_widget(f.extra.get("widget"), DateTimeInput)
            elif issubclass(f.field_class, forms.DateField):
                f.extra["widget"] = _our_widget(f.extra.get("widget"), DateInput)
        return filters

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                rule = getattr(self.filters.get(name), "restrict_choices", None)
                if rule is not None:
                    field.restrict_choices = rule
            restrict_choices(form.fields, getattr(self.request, "user", None))
            for field in form.fields.values():
                if type(field.widget) is forms.NullBooleanSelect:
                    # In a filter the empty choice means "any", not "未知".
                    field.widget.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]
            fast_selects(form.fields)
        return self._form

    # Encrypted fields searched by exact value through their blind index (utilities/crypto.py):
    # a number typed in ``q`` finds the record whose mobile (or a contact's) it is. Only records
    # whose personal data the user may see (or edit) are found that way: the search is no oracle.
    blind_search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        blind = self._blind_search(queryset.model, value)
        return queryset.filter(query | blind if blind is not None else query)

    def _blind_search(self, model, value):
        from yuanqu.users.permissions import restrict

        from .crypto import blind_search_q

        found = None
        for path in self.blind_search_fields:
            q = blind_search_q(path, value)
            if q is not None:
                found = q if found is None else found | q
        user = getattr(self.request, "user", None)
        if found is None or user is None:
            return found
        # Who may change a record reads the value in its edit form anyway.
        allowed = restrict(model._default_manager.all(), user, "view_personal").values("pk")
        editable = restrict(model._default_manager.all(), user, "change").values("pk")
        return found & (Q(pk__in=allowed) | Q(pk__in=editable))
