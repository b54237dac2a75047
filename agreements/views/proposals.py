"""Proposing a new date for a milestone at risk: the forecast, a ready message, one action to send."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.alerts.proposal import (
    ALREADY_PROPOSED,
    date_proposal_draft,
    date_proposal_refusal,
    date_proposal_send,
    open_date_proposal,
)
from agreements.forms.proposal import DateProposalForm
from agreements.models import Milestone


def _show_error(form, error: ValidationError) -> None:
    """Next to the field it is about when the form has that field, else above the form.

    (A request already proposing a date is shown above the form with its link instead.)
    """
    if getattr(error, "code", None) == "already_proposed":
        return
    if hasattr(error, "error_dict") and not error.error_dict.keys() <= form.fields.keys():
        error = ValidationError(error.messages)
    form.add_error(None, error)


def milestone_propose_date(request, pk):
    milestone = get_object_or_404(Milestone.objects.for_owner(request.user).select_related("project__client"), pk=pk)
    project = milestone.project
    now = timezone.now()
    with timezone.override(project.zoneinfo):
        draft = date_proposal_draft(milestone=milestone, now=now)
        form = DateProposalForm(request.POST if request.method == "POST" else None, draft=draft)
        refusal = date_proposal_refusal(milestone)
        if request.method == "POST" and refusal is None and form.is_valid():
            contact = form.cleaned_data["contact"]
            try:
                change = date_proposal_send(
                    milestone=milestone, new_due_at=form.cleaned_data["new_due_at"], contact=contact,
                    message=form.cleaned_data["message"], now=now, sent_by=request.user,
                    base_url=request.build_absolute_uri("/"), at_risk=draft.at_risk,
                )
            except ValidationError as error:
                _show_error(form, error)
            else:
                values = {"ref": change.reference, "name": contact.name}
                if contact.portal_access:
                    messages.success(request, _("%(ref)s sent to %(name)s for approval.") % values)
                else:
                    messages.warning(request, _(
                        "%(ref)s is waiting for approval, but %(name)s cannot log in to the portal yet: "
                        "invite them from the client's page so they can decide."
                    ) % values)
                return redirect(change)
        pending = open_date_proposal(milestone)
        return render(request, "agreements/propose_date.html", {
            "milestone": milestone, "project": project, "draft": draft, "form": form, "refusal": refusal,
            "pending": pending,
            "pending_message": pending and ALREADY_PROPOSED % {"ref": pending.reference, "title": milestone.title},
        })
