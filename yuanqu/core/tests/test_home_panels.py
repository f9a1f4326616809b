"""The start page's panels as each role sees them: every panel's HTML in the page as the panel
wrote it (safe HTML from ``format_html`` or a template, not escaped), and only the panels that
role may see."""

import pytest
from django.urls import reverse
from django.utils.safestring import SafeData

from yuanqu.registry import home_panels, resolve

# Which panels show for whom: the buttons for staff who may open the page behind them, the
# enterprise counts for whoever may view enterprises, the 月报 reminder for an enterprise user.
SHOWN = {
    "leader": ["my_work", "cockpit", "enterprise_counts"],
    "alice": ["my_work", "cockpit", "enterprise_counts"],
    "grid_worker": ["cockpit", "enterprise_counts"],
    "enterprise_user": ["portal_reminder"],
    "inspector": ["my_work"],
    "sysadmin": [],
    "secadmin": [],
    "auditor": [],
}


@pytest.mark.parametrize("role", SHOWN)
def test_every_role_sees_its_panels_as_html(client, role, request, owned_enterprise):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    shown = []
    for panel in [*home_panels("actions"), *home_panels("main")]:
        html = resolve(panel.render)(response.wsgi_request)
        assert isinstance(html, SafeData) or html == "", panel.name
        if html and (panel.slot == "main" or role != "enterprise_user"):  # no buttons on its page
            assert html in page, panel.name
            shown.append(panel.name)
    assert shown == SHOWN[role]
    assert "&lt;" not in page  # nothing shown escaped, as text
