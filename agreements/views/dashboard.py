from django.shortcuts import render
from django.utils import timezone

from agreements.models import Milestone, Project


def dashboard(request):
    now = timezone.now()
    upcoming = (
        Milestone.objects.for_owner(request.user)
        .open()
        .filter(project__status__in=[Project.Status.ACTIVE, Project.Status.PROPOSED])
        .select_related("project__client")
        .order_by("due_at", "pk")[:10]
    )
    return render(request, "agreements/dashboard.html", {
        "upcoming": upcoming,
        "now": now,
        "project_count": Project.objects.for_owner(request.user).active().count(),
    })
