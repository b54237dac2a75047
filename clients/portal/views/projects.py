"""The portal's pages about projects: the list, and one project with everything agreed."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from agreements.models import SummarySnapshot
from agreements.models.profile import profile_for
from agreements.overview import project_overview
from clients.models import HelpRequest
from clients.portal.scope import portal_project, visible_projects
from clients.portal.sessions import portal_view


@portal_view
def home(request):
    portal = request.portal
    projects = list(visible_projects(portal).for_list().select_related("owner__profile"))
    for project in projects:
        project.portal_zone = portal.zone_for(project.client_id, project)
    help_requests = HelpRequest.objects.filter(client_id__in=portal.client_ids).for_list()[:10]
    return render(request, "portal/home.html", {"projects": projects, "help_requests": help_requests})


@portal_view
def project(request, pk):
    # What the freelancer's project page reads, and the summaries the client was sent.
    queryset = visible_projects(request.portal).for_overview().prefetch_related(
        Prefetch("summary_snapshots", queryset=SummarySnapshot.objects.without_files().order_by("-created_at")),
    )
    project = portal_project(request, pk, queryset)
    overview = project_overview(project=project, now=timezone.now())
    contact = request.portal.contact_for(project)
    return render(request, "portal/project.html", {
        "project": project,
        "overview": overview,
        "contact": contact,
        "zone": contact.zoneinfo_for(project),
        "profile": profile_for(project.owner),
        "quoted": [c for c in overview.change_requests if c.status == c.Status.QUOTED],
        "summaries": list(project.summary_snapshots.all()),
    })

