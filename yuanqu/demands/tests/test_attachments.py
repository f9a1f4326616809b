"""Attachments: uploaded at intake and on a later step, checked by type and size with Chinese
errors, listed on the demand page, downloaded only by those who may see the demand."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.demands import services
from yuanqu.demands.models import Demand, DemandAttachment

from .conftest import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name, content, kind="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_enterprise_attaches_a_file_on_the_portal_and_staff_download_it(
    client, media, enterprise_user, alice, power
):
    client.force_login(enterprise_user)
    response = client.post(
        reverse("demands:demand_add"),
        {
            "category": power.pk,
            "title": "申请用电增容",
            "description": "见附件",
            "attachments": [upload("用电申请.pdf", PDF), upload("现场.png", PNG)],
        },
    )
    assert response.status_code == 302
    demand = Demand.objects.get(title="申请用电增容")
    files = list(demand.attachments.order_by("name"))
    assert [(a.name, a.action, a.uploaded_by) for a in files] == [
        ("现场.png", "receive", enterprise_user),
        ("用电申请.pdf", "receive", enterprise_user),
    ]
    assert str(files[0].file.path).startswith(str(media))
    page = client.get(demand.get_absolute_url()).content.decode()
    assert "用电申请.pdf" in page and files[1].get_download_url() in page
    client.force_login(alice)
    response = client.get(files[1].get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    # change-logged under the demand
    change = ObjectChange.objects.get(content_type__model="demandattachment", object_id=str(files[1].pk))
    assert change.action == "create" and change.related_id == str(demand.pk)
    assert change.postchange_data["file"] == files[1].file.name.replace("\\", "/")
    assert change.postchange_data["file"].startswith("demands/")


def test_another_enterprise_cannot_download(client, media, enterprise_user, charlie, other_enterprise, power):
    other = services.receive(
        charlie,
        enterprise=other_enterprise,
        category=power,
        channel="visit",
        title="西区",
        description="西区",
    )
    from yuanqu.demands.attachments import add_attachments

    [attachment] = add_attachments(other, charlie, [upload("西区.pdf", PDF)], "receive")
    client.force_login(enterprise_user)
    assert client.get(attachment.get_download_url()).status_code == 404


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "病毒.exe",
            b"MZ\x90\x00",
            "附件“病毒.exe”的类型不允许：只能上传PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）文件",
        ),
        ("伪装.pdf", b"MZ\x90\x00", "附件“伪装.pdf”的内容与扩展名.pdf不符"),
        ("空.pdf", b"", "附件是空文件，请重新选择"),
    ],
)
def test_bad_files_are_refused_with_a_chinese_reason_and_nothing_is_saved(
    client, media, alice, owned_enterprise, power, name, content, message
):
    client.force_login(alice)
    response = client.post(
        reverse("demands:demand_add"),
        {
            "enterprise": owned_enterprise.pk,
            "category": power.pk,
            "channel": "visit",
            "title": "带附件",
            "description": "内容",
            "attachments": [upload(name, content)],
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Demand.objects.exists() and not DemandAttachment.objects.exists()


def test_too_large_a_file_is_refused(client, media, settings, alice, owned_enterprise, power):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(alice)
    big = upload("大文件.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post(
        reverse("demands:demand_add"),
        {
            "enterprise": owned_enterprise.pk,
            "category": power.pk,
            "channel": "visit",
            "title": "大",
            "description": "大",
            "attachments": [big],
        },
    )
    assert "附件“大文件.pdf”大小为1.0 MB，超过上限1 MB" in response.content.decode()
    assert not Demand.objects.exists()


def test_the_answer_carries_an_attachment(client, media, alice, bob, demand, econ_dept):
    services.assign(demand, alice, econ_dept, at=at(2024, 9, 27, 11))
    services.accept(demand, bob)
    client.force_login(bob)
    response = client.post(
        reverse("demands:demand_answer", args=[demand.pk]),
        {"text": "已完成增容，回复函见附件", "attachments": [upload("答复函.pdf", PDF)]},
    )
    assert response.status_code == 302
    [attachment] = demand.attachments.all()
    assert (attachment.name, attachment.action, attachment.uploaded_by) == ("答复函.pdf", "answer", bob)
    assert "答复函.pdf" in client.get(demand.get_absolute_url()).content.decode()


def test_a_refused_step_keeps_no_attachment(client, media, alice, bob, demand, econ_dept):
    services.assign(demand, alice, econ_dept, at=at(2024, 9, 27, 11))
    services.accept(demand, bob)
    client.force_login(bob)
    response = client.post(
        reverse("demands:demand_answer", args=[demand.pk]),
        {"text": "", "attachments": [upload("a.pdf", PDF)]},
    )
    assert response.status_code == 200
    assert not DemandAttachment.objects.exists()
    assert io.BytesIO(PDF).read(4) == b"%PDF"
