"""Change requests: one small view per action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements.changes import (
    change_request_approve,
    change_request_create,
    change_request_decline,
    change_request_preview,
    change_request_quote,
    change_request_reopen,
    change_request_withdraw,
)
from agreements.forms import ChangeRequestForm, DateChangeFormSet, ScopeAdditionFormSet
from agreements.forms.change import ChangeDecisionForm
from agreements.models import ChangeRequest
from agreements.money import format_money
from agreements.views.projects import owned_project
from clients.portal.mail import email_deciders, in_their_language

NOT_EDITABLE = gettext_lazy("Only a submitted request can be edited. Reopen the quote to change it.")


def owned_change(request, pk) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.for_owner(request.user).select_related(
            "project__client", "requested_by", "approved_by", "decision__contact"
        ),
        pk=pk,
    )


def _form_page(request, project, change=None):
    """Create or edit a request and its impact; the forms keep everything typed on error."""
    data = request.POST if request.method == "POST" else None
    with timezone.override(project.zoneinfo):
        form = ChangeRequestForm(data, instance=change, project=project)
        dates = DateChangeFormSet(data, instance=change, project=project, prefix="dates")
        additions = ScopeAdditionFormSet(data, instance=change, prefix="additions")
        if data is not None and form.is_valid() and dates.is_valid() and additions.is_valid():
            try:
                with transaction.atomic():
                    if change is None:
                        change = change_request_create(project=project, now=timezone.now(), **form.cleaned_data)
                    else:
                        change = form.save()
                    dates.instance = additions.instance = change
                    dates.save()
                    additions.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(ref)s saved.") % {"ref": change.reference})
                return redirect(change)
        return render(request, "agreements/change_form.html", {
            "form": form, "dates": dates, "additions": additions, "project": project, "change": change,
        })


def change_create(request, pk):
    return _form_page(request, owned_project(request, pk))


def change_edit(request, pk):
    change = owned_change(request, pk)
    if not change.impact_editable:
        messages.error(request, NOT_EDITABLE)
        return redirect(change)
    return _form_page(request, change.project, change)


def change_detail(request, pk):
    change = owned_change(request, pk)
    return render(request, "agreements/change_detail.html", {
        "change": change,
        "project": change.project,
        "preview": change_request_preview(change_request=change),
        "date_changes": change.date_changes.select_related("milestone"),
        "decision_form": ChangeDecisionForm(change_request=change),
    })


def _act(request, change, action):
    """Run one domain action on the request and say how it went."""
    try:
        action(change)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(ref)s is now “%(status)s”.") % {
            "ref": change.reference, "status": change.get_status_display(),
        })
    return redirect(change)


@require_POST
def change_quote(request, pk):
    change = owned_change(request, pk)

    def quote(c):
        change_request_quote(change_request=c, now=timezone.now())
        values = {"ref": c.reference, "project": c.project.title,
                  "delta": format_money(c.price_delta, c.project.currency)}
        email_deciders(
            change_request=c, base_url=request.build_absolute_uri("/"),
            subject=in_their_language(lambda: _("%(ref)s on “%(project)s” is quoted: your decision, please") % values),
            lines=[c.description, in_their_language(lambda: _("Price change: %(delta)s") % values)],
        )

    return _act(request, change, quote)


@require_POST
def change_reopen(request, pk):
    return _act(request, owned_change(request, pk), lambda c: change_request_reopen(change_request=c))


@require_POST
def change_withdraw(request, pk):
    return _act(request, owned_change(request, pk), lambda c: change_request_withdraw(
        change_request=c, recorded_by=request.user, now=timezone.now(),
        note=request.POST.get("note", ""),
    ))


@require_POST
def change_decline(request, pk):
    return _act(request, owned_change(request, pk), lambda c: change_request_decline(
        change_request=c, recorded_by=request.user, now=timezone.now(),
        note=request.POST.get("note", ""),
    ))


@require_POST
def change_approve(request, pk):
    change = owned_change(request, pk)
    form = ChangeDecisionForm(request.POST, change_request=change)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(change)
    return _act(request, change, lambda c: change_request_approve(
        change_request=c, approved_by=form.cleaned_data["approved_by"], recorded_by=request.user,
        now=timezone.now(), note=form.cleaned_data["note"],
    ))
