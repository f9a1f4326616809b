from django import template

from yuanqu.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The current user's unread messages (0 for anonymous users)."""
    request = context.get("request")
    return 0 if request is None else unread_count(request)
