"""Contract versions and summaries in the portal, and accepting a contract."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements.acceptance import AcceptanceError, consent_text, contract_accept, current_version
from agreements.models import ContractAcceptance, Notification
from agreements.models.profile import profile_for
from agreements.notifications import notify
from agreements.views.contracts import pdf_response
from clients.portal.evidence import RequestEvidence
from clients.portal.forms import AcceptanceForm
from clients.portal.mail import in_their_language
from clients.portal.scope import may_not_approve, portal_snapshot, portal_version, site_root
from clients.portal.sessions import portal_view

MAY_NOT_ACCEPT = gettext_lazy(
    "Only a person your company allows to approve can accept a contract. %(client)s has not given "
    "you that permission; ask the person who approves, or ask %(freelancer)s to change it."
)


def _version_page(request, version, *, form=None, status=200):
    project = version.project
    contact = request.portal.contact_for(project)
    current = current_version(project)
    acceptance = ContractAcceptance.objects.filter(version=version).select_related("contact").first()
    consent = consent_text(version)
    can_accept = contact.may_approve and acceptance is None and current.pk == version.pk and project.is_open
    if form is None and can_accept:
        form = AcceptanceForm(consent_text=consent, initial={"document_sha256": version.pdf_sha256})
    return render(request, "portal/contract.html", {
        "version": version, "project": project, "contact": contact, "current": current,
        "acceptance": acceptance, "form": form if can_accept or form else None,
        "zone": contact.zoneinfo_for(project), "profile": profile_for(project.owner),
    }, status=status)


@portal_view
def contract(request, pk):
    return _version_page(request, portal_version(request, pk))


@portal_view
def contract_pdf(request, pk):
    version = portal_version(request, pk, with_files=True)
    return pdf_response(version.pdf, version.filename, download="download" in request.GET)


@portal_view
@require_POST
def contract_accept_view(request, pk):
    version = portal_version(request, pk)
    project = version.project
    contact = request.portal.contact_for(project)
    if refused := may_not_approve(request, project, MAY_NOT_ACCEPT, back=reverse("portal:contract", args=[version.pk])):
        return refused
    form = AcceptanceForm(request.POST, consent_text=consent_text(version))
    if not form.is_valid():
        return _version_page(request, version, form=form, status=400)
    now = timezone.now()
    try:
        _acceptance, created = contract_accept(
            version=version, contact=contact, typed_name=form.cleaned_data["typed_name"],
            consent_given=form.cleaned_data["consent"], document_sha256=form.cleaned_data["document_sha256"],
            evidence=RequestEvidence.from_request(request, now),
        )
    except AcceptanceError as error:
        form.add_error(None, error.message)
        return _version_page(request, version, form=form, status=409)
    if created:
        notify(
            recipient=project.owner, kind=Notification.Kind.CONTRACT_ACCEPTED,
            text=in_their_language(lambda: _(
                "%(contact)s accepted version %(number)d of the contract for “%(project)s”."
            ) % {"contact": contact.name, "number": version.number, "project": project.title}),
            path=version.get_absolute_url(), base_url=site_root(request), now=now,
        )
        messages.success(request, _("You accepted version %(number)d. A record of it is kept below.") % {
            "number": version.number})
    return redirect("portal:contract", version.pk)


@portal_view
def summary_pdf(request, pk):
    snapshot = portal_snapshot(request, pk)
    return pdf_response(snapshot.pdf, snapshot.filename, download=True)
