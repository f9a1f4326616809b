"""Select widgets rendered without a template per option.

Django renders a <select> through select.html, which includes select_option.html and
attrs.html for every <option>: three template renders per option, a few hundred per filter
form (the enterprise list's 行业大类 alone has 97). ``fast_selects`` gives a form's plain
select widgets a ``render`` that writes the same markup in one loop of Python.
"""

from django import forms
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_PLAIN = Context()  # how a template without a request context renders a value


def _value_html(value) -> str:
    """``{{ value }}`` in a template: localised, then escaped unless marked safe."""
    return render_value_in_context(value, _PLAIN)


def _string_html(value) -> str:
    """``{{ value|stringformat:'s' }}``."""
    text = stringformat(value, "s")
    return _value_html(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_value_html(name)}" + ("" if value is True else f'="{_string_html(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    """select.html and select_option.html for a widget's context (``get_context()["widget"]``)."""
    parts = [f'<select name="{_value_html(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value_html(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_string_html(option["value"])}"{_attrs_html(option["attrs"])}>'
                f"{_value_html(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastSelectMixin:
    """``render`` in one loop of Python (``select_html``) instead of a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(select_html(self.get_context(name, value, attrs)["widget"]))


_FAST_CLASSES: dict[type, type] = {}


def fast_selects(fields):
    """Every select widget among ``fields`` that uses Django's own templates renders its
    options without them (same markup, same choices: the choices are not touched)."""
    for field in fields.values():
        widget = field.widget
        cls = type(widget)
        if (
            isinstance(widget, forms.Select)
            and not isinstance(widget, FastSelectMixin)
            and widget.template_name == SELECT_TEMPLATE
            and widget.option_template_name == OPTION_TEMPLATE
        ):
            fast = _FAST_CLASSES.get(cls)
            if fast is None:
                fast = _FAST_CLASSES[cls] = type(
                    f"Fast{cls.__name__}", (FastSelectMixin, cls), {"stock": cls}
                )
            widget.__class__ = fast
    return fields
