"""A project's contract: its clauses, issuing versions, and the stored versions themselves."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agreements.clauses import (
    CLAUSES_AGREED,
    ClauseRefused,
    clauses_locked,
    clauses_save,
    project_clauses,
    save_as_defaults,
)
from agreements.contracts import contract_issue
from agreements.forms.documents import ClauseFormSet
from agreements.models import ContractAcceptance, ContractVersion
from agreements.views.projects import owned_project


def contract_edit(request, pk):
    project = owned_project(request, pk)
    versions = list(project.contract_versions.for_list())
    locked = clauses_locked(project, versions)
    clauses = list(project.clauses.all()) if locked else None
    formset = None
    if not locked:
        project_clauses(project)  # copies the owner's defaults the first time; the formset reads them
        formset = ClauseFormSet(request.POST or None, queryset=project.clauses.all(), prefix="clauses")
        if request.method == "POST" and formset.is_valid():
            try:
                clauses_save(project=project, formset=formset)
            except ClauseRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Clauses saved. Issue a new version when the contract is ready."))
            return redirect("agreements:contract_edit", pk=project.pk)
    return render(request, "agreements/contract_edit.html", {
        "project": project, "formset": formset, "clauses": clauses, "locked": locked, "versions": versions,
        "clauses_agreed": CLAUSES_AGREED,
    }, status=400 if formset is not None and formset.is_bound else 200)


@require_POST
def contract_issue_view(request, pk):
    project = owned_project(request, pk)
    try:
        version = contract_issue(project=project, issued_by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreements:contract_edit", pk=project.pk)
    messages.success(request, _("Version %(number)s is issued. It can no longer be changed.") % {
        "number": version.number
    })
    return redirect(version)


@require_POST
def clauses_save_as_defaults(request, pk):
    project = owned_project(request, pk)
    try:
        count = save_as_defaults(project=project)
    except ClauseRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("agreements:contract_edit", pk=project.pk)
    messages.success(request, ngettext(
        "This clause is now your default for new projects.",
        "These %(count)s clauses are now your defaults for new projects.",
        count,
    ) % {"count": count})
    return redirect("agreements:contract_edit", pk=project.pk)


def owned_version(request, pk, *, with_files=False) -> ContractVersion:
    versions = ContractVersion.objects.for_owner(request.user).select_related("project__client", "change_request")
    return get_object_or_404(versions if with_files else versions.defer("pdf"), pk=pk)


def contract_version(request, pk):
    version = owned_version(request, pk)
    later = version.project.contract_versions.filter(number__gt=version.number).order_by("number")
    return render(request, "agreements/contract_version.html", {
        "version": version, "project": version.project,
        "superseded_by": later.values_list("number", flat=True).first(),
        "acceptance": ContractAcceptance.objects.filter(version=version).select_related("contact").first(),
    })


def pdf_response(pdf: bytes, filename: str, *, download: bool) -> HttpResponse:
    """Stored PDF bytes as they are: nothing is rendered again."""
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def contract_version_pdf(request, pk):
    version = owned_version(request, pk, with_files=True)
    return pdf_response(version.pdf, version.filename, download="download" in request.GET)
