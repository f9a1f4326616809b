"""Template side of ``yuanqu.utilities.links``: draw a link only when its page opens.

{% load links %}
{% url_if_open "economy:periodlock_list" as locks_url %}
{% if locks_url %}<a href="{{ locks_url }}">月份锁定</a>{% endif %}
{% object_action_url object "edit" as edit_url %}
"""

from django import template

from yuanqu.utilities import links

register = template.Library()


@register.simple_tag(takes_context=True)
def can_open(context, target, *args):
    """Whether the page of ``target`` (URL name and arguments, or a path) opens for the user."""
    return links.can_open(context.get("user"), str(target), *args)


@register.simple_tag(takes_context=True)
def url_if_open(context, target, *args):
    """The URL of ``target`` when its page opens for the user, else ""."""
    return links.url_if_open(context.get("user"), str(target), *args)


@register.simple_tag(takes_context=True)
def object_action_url(context, obj, action):
    """The URL of the record's ``edit`` / ``delete`` page when it opens for the user, else ""."""
    return links.object_action_url(context.get("user"), obj, action)


@register.simple_tag(takes_context=True)
def model_action_url(context, model, action):
    """The URL of the model's ``add`` / ``import`` page when it opens for the user, else ""."""
    return links.model_action_url(context.get("user"), model, action)


@register.simple_tag(takes_context=True)
def first_open_url(context, *targets):
    """The first of ``targets`` (paths or URL names) whose page opens for the user, else ""."""
    for target in targets:
        if target and links.can_open(context.get("user"), str(target)):
            return links.url_if_open(context.get("user"), str(target))
    return ""
