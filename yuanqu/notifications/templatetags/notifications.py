from django import template

from yuanqu.notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The current user's unread messages (0 for anonymous users)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return Notification.objects.for_user(user).unread().count()
