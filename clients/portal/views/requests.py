"""Written requests from the portal: change requests (submit, approve or decline) and revision rounds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements.changes import ChangeRequestError, change_request_create
from agreements.decisions import change_impact, change_request_decide, decided_impact, impact_sha256
from agreements.models import Notification
from agreements.models.profile import profile_for
from agreements.notifications import notify
from agreements.revisions import RevisionQuote, revision_quote, revision_request_create
from clients.portal.evidence import RequestEvidence
from clients.portal.forms import ChangeRequestSubmitForm, DecisionForm, RevisionSubmitForm
from clients.portal.mail import in_their_language
from clients.portal.scope import may_not_approve, portal_change, portal_project, portal_scope_item, site_root
from clients.portal.sessions import portal_view

MAY_NOT_APPROVE = gettext_lazy(
    "Only a person your company allows to approve can approve or decline a change. "
    "%(client)s has not given you that permission; ask the person who approves, "
    "or ask %(freelancer)s to change it."
)


@portal_view
def change_create(request, pk):
    project = portal_project(request, pk)
    contact = request.portal.contact_for(project)
    zone = contact.zoneinfo_for(project)
    form = ChangeRequestSubmitForm(request.POST or None, zone=zone)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            change = change_request_create(project=project, now=now, requested_by=contact, **form.cleaned_data)
        except ChangeRequestError as error:
            form.add_error(None, error)
        else:
            notify(
                recipient=project.owner, kind=Notification.Kind.CHANGE_REQUESTED,
                text=in_their_language(lambda: _(
                    "%(contact)s (%(client)s) asked for %(ref)s on “%(project)s”: %(text)s"
                ) % {
                    "contact": contact.name, "client": project.client.name, "ref": change.reference,
                    "project": project.title, "text": change.description[:120],
                }),
                path=change.get_absolute_url(), base_url=site_root(request), now=now,
            )
            messages.success(request, _("%(ref)s is recorded. %(freelancer)s will quote it.") % {
                "ref": change.reference, "freelancer": profile_for(project.owner).name,
            })
            return redirect("portal:change", change.pk)
    return render(request, "portal/change_form.html", {"form": form, "project": project})


def _change_page(request, change, *, form=None, status=200):
    project = change.project
    contact = request.portal.contact_for(project)
    if change.status in (change.Status.SUBMITTED, change.Status.QUOTED):
        impact = change_impact(change)
    else:
        impact = decided_impact(change)
    form = form or DecisionForm(initial={"impact_sha256": impact_sha256(impact) if impact else ""})
    return render(request, "portal/change_detail.html", {
        "change": change, "project": project, "contact": contact, "impact": impact,
        "zone": contact.zoneinfo_for(project), "profile": profile_for(project.owner),
        "decision": getattr(change, "decision", None) if change.status != change.Status.SUBMITTED else None,
        "form": form, "may_decide": contact.may_approve and change.status == change.Status.QUOTED,
    }, status=status)


@portal_view
def change_detail(request, pk):
    return _change_page(request, portal_change(request, pk))


@portal_view
@require_POST
def change_decide(request, pk):
    change = portal_change(request, pk)
    project = change.project
    contact = request.portal.contact_for(project)
    if refused := may_not_approve(request, project, MAY_NOT_APPROVE, back=reverse("portal:change", args=[change.pk])):
        return refused
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _change_page(request, change, form=form, status=400)
    now = timezone.now()
    approve = form.cleaned_data["decision"] == "approve"
    try:
        change_request_decide(
            change_request=change, contact=contact, approve=approve, note=form.cleaned_data["note"],
            seen_sha256=form.cleaned_data["impact_sha256"], evidence=RequestEvidence.from_request(request, now),
        )
    except ValidationError as error:  # ChangeRequestError, or a date the project no longer allows
        change.refresh_from_db()
        fresh = DecisionForm(
            data={**request.POST.dict(), "impact_sha256": impact_sha256(change_impact(change))}
        )
        fresh.is_valid()
        fresh.add_error(None, error.messages)  # field errors of the milestone or deliverable, as text
        return _change_page(request, change, form=fresh, status=409)
    notify(
        recipient=project.owner, kind=Notification.Kind.CHANGE_DECIDED,
        text=in_their_language(lambda: (_("%(contact)s approved %(ref)s on “%(project)s”.") if approve
              else _("%(contact)s declined %(ref)s on “%(project)s”.")) % {
            "contact": contact.name, "ref": change.reference, "project": project.title,
        }),
        path=change.get_absolute_url(), base_url=site_root(request), now=now,
    )
    if approve:
        messages.success(request, _("You approved %(ref)s. The new contract version is under Documents.") % {
            "ref": change.reference})
    else:
        messages.success(request, _("You declined %(ref)s.") % {"ref": change.reference})
    return redirect("portal:change", change.pk)


@portal_view
def revision_create(request, pk):
    item = portal_scope_item(request, pk)
    project = item.project
    contact = request.portal.contact_for(project)
    quote = revision_quote(scope_item=item)
    form = RevisionSubmitForm(
        request.POST or None, initial={"quoted_round": quote.round_number, "quoted_charge": quote.charge}
    )
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        shown = RevisionQuote(
            round_number=form.cleaned_data["quoted_round"], free_rounds=quote.free_rounds,
            charge=form.cleaned_data["quoted_charge"], currency=quote.currency,
        )
        try:
            revision = revision_request_create(
                scope_item=item, description=form.cleaned_data["description"], requested_by=contact, now=now,
                quoted=shown,
            )
        except ValidationError as error:
            form = RevisionSubmitForm(
                data={**request.POST.dict(), "quoted_round": quote.round_number, "quoted_charge": quote.charge}
            )
            form.is_valid()
            form.add_error(None, error)
        else:
            notify(
                recipient=project.owner, kind=Notification.Kind.REVISION_REQUESTED,
                text=in_their_language(lambda: _(
                    "%(contact)s asked for revision round %(round)d of “%(item)s” (%(project)s)."
                ) % {
                    "contact": contact.name, "round": revision.round_number, "item": item.title,
                    "project": project.title,
                }),
                path=project.get_absolute_url(), base_url=site_root(request), now=now,
            )
            messages.success(request, _("Round %(round)d of “%(item)s” is requested. %(quote)s") % {
                "round": revision.round_number, "item": item.title, "quote": shown.describe_for_client(),
            })
            return redirect("portal:project", project.pk)
    return render(request, "portal/revision_form.html", {
        "form": form, "item": item, "project": project, "quote": quote,
    })
