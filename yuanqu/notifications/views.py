from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification


def notification_list(request):
    """我的消息: the user's own notifications, unread first when asked."""
    notifications = Notification.objects.for_user(request.user)
    unread_only = request.GET.get("unread") == "1"
    shown = notifications.unread() if unread_only else notifications
    page = Paginator(shown, 30).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": notifications.unread().count()}
    return render(request, "notifications/notification_list.html", context)


def notification_open(request, pk):
    """Mark one's own message read and follow its link (404 for anybody else's)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.safe_link or "notifications:list")


@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    Notification.objects.filter(pk=notification.pk).mark_read()
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    count = Notification.objects.for_user(request.user).mark_read()
    messages.success(request, f"已将{count}条消息标为已读。")
    return redirect("notifications:list")
