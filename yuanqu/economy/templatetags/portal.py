"""``{% portal_reminder %}``: the enterprise user's months due, on the start page."""

from decimal import ROUND_HALF_UP, Decimal

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


@register.filter
def figure(value, digits=2):
    """1020.5000 → “1,020.5”: thousands separated, at most ``digits`` decimals, “—” for none."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
