"""``{% portal_reminder %}``: the enterprise user's months due, on the start page."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_reminder(context):
    """The reminder of the months the user's enterprise has not reported; nothing for a user
    who does not report for an enterprise of their own."""
    from yuanqu.economy.portal import own_enterprise, reminder_context

    request = context.get("request")
    user = getattr(request, "user", None)
    enterprise = own_enterprise(user) if user is not None and user.is_authenticated else None
    if enterprise is None:
        return ""
    return render_to_string(
        "economy/portal_reminder.html",
        {**reminder_context(enterprise), "show_enterprise": True},
        request=request,
    )

