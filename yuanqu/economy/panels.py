"""Economy's pieces of the start page (registered in ``EconomyConfig.ready()``)."""

from django.template import engines
from django.utils.html import format_html

from yuanqu.utilities.links import url_if_open


def cockpit_button(request) -> str:
    """经济运行驾驶舱, for whoever may open the cockpit."""
    url = url_if_open(request.user, "economy:cockpit")
    return format_html('<a class="button primary" href="{}">经济运行驾驶舱</a>', url) if url else ""


def portal_reminder(request) -> str:
    """The months the enterprise user's enterprise has not reported (``{% portal_reminder %}``)."""
    template = engines["django"].from_string("{% load portal %}{% portal_reminder %}")
    return template.render({}, request=request)
