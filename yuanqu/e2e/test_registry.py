import pytest

from yuanqu.utilities.testing.factories import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_user_cannot_open_another_company(page, enterprise_user, owned_enterprise, other_enterprise):
    login(page, "ent", PASSWORD)
    page.wait_for_url("**/")
    page.goto(owned_enterprise.get_absolute_url())
    assert page.locator("h1").inner_text().endswith(owned_enterprise.name)
    response = page.goto(other_enterprise.get_absolute_url())
    assert response.status == 404
    assert other_enterprise.name not in page.content()
    page.goto("/enterprises/")
    rows = page.locator("#object-table tbody tr")
    assert rows.count() == 1
    assert owned_enterprise.name in rows.first.inner_text()


def test_staff_searches_the_registry(page, alice, owned_enterprise, other_enterprise):
    login(page, "alice", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/enterprises/")
    page.fill("#id_q", "光电")
    page.locator("#id_q").press("Enter")
    page.wait_for_function("document.querySelectorAll('#object-table tbody tr').length === 1")
    assert other_enterprise.name in page.locator("#object-table").inner_text()
    assert owned_enterprise.name not in page.locator("#object-table").inner_text()
