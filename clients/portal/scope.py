"""What a portal login may see: the projects of the clients it is a contact of, nothing else.

Another client's object answers exactly like a missing one (404), never 403.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from agreements.models import ChangeRequest, ContractVersion, Project, ScopeItem, SummarySnapshot
from agreements.models.profile import profile_for


def visible_projects(portal):
    # A draft is the freelancer's work in progress: the client sees it once it is proposed.
    return Project.objects.filter(client_id__in=portal.client_ids).exclude(status=Project.Status.DRAFT)


def portal_project(request, pk, queryset=None) -> Project:
    queryset = visible_projects(request.portal) if queryset is None else queryset
    return get_object_or_404(queryset.select_related("client", "owner"), pk=pk)


def portal_change(request, pk) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.filter(project__in=visible_projects(request.portal)).select_related(
            "project__client", "project__owner", "requested_by", "decision__contact"
        ),
        pk=pk,
    )


def portal_scope_item(request, pk) -> ScopeItem:
    return get_object_or_404(
        ScopeItem.objects.current().filter(project__in=visible_projects(request.portal)).select_related(
            "project__client", "project__owner"
        ),
        pk=pk,
    )


def portal_version(request, pk, *, with_files=False) -> ContractVersion:
    versions = ContractVersion.objects.filter(project__in=visible_projects(request.portal))
    if not with_files:
        versions = versions.defer("pdf")  # the page shows the stored HTML; only the download reads the PDF
    return get_object_or_404(versions.select_related("project__client", "project__owner"), pk=pk)


def portal_snapshot(request, pk) -> SummarySnapshot:
    return get_object_or_404(
        SummarySnapshot.objects.filter(project__in=visible_projects(request.portal)).select_related("project"), pk=pk
    )


def forbidden(request, reason: str, *, back: str | None = None):
    """A contact may see this but not do it: say why (a 403 that explains, not a bare refusal)."""
    return render(
        request, "portal/forbidden.html", {"reason": reason, "back": back or reverse("portal:home")}, status=403
    )


def may_not_approve(request, project, reason, *, back: str):
    """The 403 page for a contact who may see a decision but not take it (None if they may)."""
    if request.portal.contact_for(project).may_approve:
        return None
    return forbidden(request, reason % {
        "client": project.client.name, "freelancer": profile_for(project.owner).name,
    }, back=back)


def site_root(request) -> str:
    return request.build_absolute_uri("/")
