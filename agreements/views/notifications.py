from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agreements.models import Notification
from agreements.notifications import notifications_read

PAGE_SIZE = 50


def notification_list(request):
    notifications = Notification.objects.for_owner(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agreements/notifications.html", {
        "page": page, "unread_count": notifications.unread().count(),
    })


@require_POST
def notification_read_all(request):
    notifications_read(user=request.user, now=timezone.now())
    return redirect("agreements:notifications")
