from django.shortcuts import render
from django.utils import timezone

from agreements.alerts.overview import deadline_overview
from agreements.models import Milestone, Notification, Project
from clients.models import HelpRequest


def dashboard(request):
    now = timezone.now()
    # What comes next; the overdue ones are the Deadlines panel's first group.
    upcoming = Milestone.objects.for_owner(request.user).open().on_live_projects().filter(due_at__gte=now)
    upcoming = upcoming.for_dashboard()[:10]
    return render(request, "agreements/dashboard.html", {
        "upcoming": upcoming,
        "now": now,
        "project_count": Project.objects.for_owner(request.user).active().count(),
        "inbox": Notification.objects.for_owner(request.user).unread()[:5],
        "open_help": HelpRequest.objects.for_owner(request.user).filter(status=HelpRequest.Status.OPEN).count(),
        "deadlines": deadline_overview(owner=request.user, now=now),
    })
