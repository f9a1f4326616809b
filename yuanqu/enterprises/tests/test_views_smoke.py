import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange


@pytest.mark.django_db
def test_staff_sees_list_detail_and_history(client, alice, owned_enterprise):
    client.force_login(alice)
    response = client.get(reverse("enterprises:enterprise_list"), {"q": "东区精密"})
    assert response.status_code == 200
    assert "东区精密机械有限公司" in response.content.decode()
    detail = client.get(owned_enterprise.get_absolute_url())
    assert detail.status_code == 200
    assert "变更历史" in detail.content.decode()


@pytest.mark.django_db
def test_edit_writes_change_log_with_before_and_after(client, alice, owned_enterprise):
    client.force_login(alice)
    url = reverse("enterprises:enterprise_edit", args=[owned_enterprise.pk])
    data = {
        "uscc": owned_enterprise.uscc,
        "name": "东区精密机械股份有限公司",
        "status": "operating",
        "department": alice.department_id,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = ObjectChange.objects.filter(action="update", object_id=str(owned_enterprise.pk)).get()
    assert change.prechange_data["name"] == "东区精密机械有限公司"
    assert change.postchange_data["name"] == "东区精密机械股份有限公司"
    assert change.user_name == "alice"
    assert change.request_id is not None
