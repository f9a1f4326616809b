"""我的消息: notify() writes the in-app row and the mail; a user sees and marks only their own;
the header shows the unread count; a mail failure is logged, never fatal."""

import logging

from django.core import mail
from django.urls import reverse

from yuanqu.notifications.models import Notification
from yuanqu.notifications.services import notify


def test_notify_writes_one_row_per_user_and_mails_those_with_an_address(alice, bob, charlie):
    alice.email = "alice@example.gov.cn"
    alice.save()
    rows = notify(
        [alice, bob, alice, None],
        "【催办】诉求SQ2024-0001已超期",
        "请尽快办理",
        link="/demands/1/",
        kind="test",
    )
    assert sorted(r.recipient.username for r in rows) == ["alice", "bob"]
    assert [m.to for m in mail.outbox] == [["alice@example.gov.cn"]]
    assert mail.outbox[0].subject.endswith("【催办】诉求SQ2024-0001已超期")
    assert not Notification.objects.filter(recipient=charlie).exists()


def test_no_mail_when_asked(alice):
    alice.email = "alice@example.gov.cn"
    alice.save()
    notify([alice], "标题", email=False)
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_a_mail_failure_is_logged_and_the_message_kept(alice, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    alice.email = "alice@example.gov.cn"
    alice.save()
    with caplog.at_level(logging.ERROR):
        notify([alice], "标题", "内容")
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert "消息邮件发送失败：标题 → alice@example.gov.cn" in caplog.text


def test_the_list_shows_only_my_messages_and_the_header_counts_unread(client, alice, bob):
    notify([alice], "给王丽的消息", email=False)
    notify([bob], "给李波的消息", email=False)
    client.force_login(alice)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "给王丽的消息" in page and "给李波的消息" not in page
    assert '<span class="badge unread-count">1</span>' in page
    home = client.get("/").content.decode()
    assert 'id="notification-bell"' in home and '<span class="badge unread-count">1</span>' in home


def test_mark_read_and_mark_all_read(client, alice, bob):
    notify([alice], "一", email=False)
    notify([alice], "二", email=False)
    theirs = notify([bob], "李波的", email=False)[0]
    client.force_login(alice)
    first = Notification.objects.get(title="一")
    assert client.post(reverse("notifications:mark_read", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert "只看未读（1）" in client.get(reverse("notifications:list")).content.decode()
    assert '<span class="badge unread-count">1</span>' in client.get("/").content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert "unread-count" not in client.get("/").content.decode()  # the header counts none
    # somebody else's message: 404, untouched
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_message_marks_it_read_and_follows_only_a_local_link(client, alice):
    local = notify([alice], "本站", link="/demands/", email=False)[0]
    outside = notify([alice], "外站", link="https://evil.example.com/", email=False)[0]
    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[local.pk]))
    assert response["Location"] == "/demands/"
    local.refresh_from_db()
    assert local.read_at is not None
    response = client.get(reverse("notifications:open", args=[outside.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_anonymous_users_go_to_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
