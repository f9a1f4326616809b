"""Supervision's piece of the start page (registered in ``SupervisionConfig.ready()``)."""

from django.utils.html import format_html

from yuanqu.users.permissions import has_perm
from yuanqu.utilities.links import url_if_open

from .models import Task


def my_work_button(request) -> str:
    """我的待办, for whoever may open it (the menu entry's own check)."""
    user = request.user
    url = url_if_open(user, "supervision:my_work", default=has_perm(user, Task, "view"))
    return format_html('<a class="button" href="{}">我的待办</a>', url) if url else ""
