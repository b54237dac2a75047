"""Deliverables, deadlines and revision rounds of one project."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.forms import MilestoneForm, RevisionRequestForm, ScopeItemForm
from agreements.milestones import milestone_record
from agreements.models import Milestone, ScopeItem
from agreements.revisions import revision_quote, revision_request_create
from agreements.views.projects import owned_project

SCOPE_AGREED = gettext_lazy(
    "The scope of this project is agreed. To add a deliverable, record a change request: "
    "it is added when the client approves."
)


def scope_item_create(request, pk):
    project = owned_project(request, pk)
    if project.terms_locked:
        messages.info(request, SCOPE_AGREED)
        return redirect("agreements:change_create", pk=project.pk)
    form = ScopeItemForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Deliverable added."))
        return redirect(project)
    return render(request, "agreements/scope_item_form.html", {"form": form, "project": project})


def scope_item_edit(request, pk):
    item = get_object_or_404(ScopeItem.objects.for_owner(request.user).current().select_related("project"), pk=pk)
    form = ScopeItemForm(request.POST or None, instance=item, project=item.project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Deliverable saved."))
        return redirect(item.project)
    return render(request, "agreements/scope_item_form.html", {"form": form, "project": item.project, "item": item})


def _milestone_form_page(request, project, milestone=None):
    with timezone.override(project.zoneinfo):
        form = MilestoneForm(request.POST or None, instance=milestone, project=project)
        if request.method == "POST" and form.is_valid():
            milestone_record(
                milestone=form.save(commit=False),
                done=form.cleaned_data["completed"],
                paid=form.cleaned_data["paid"],
                now=timezone.now(),
            )
            messages.success(request, _("Milestone saved."))
            return redirect(project)
        return render(request, "agreements/milestone_form.html", {
            "form": form, "project": project, "milestone": milestone,
        })


def milestone_create(request, pk):
    return _milestone_form_page(request, owned_project(request, pk))


def milestone_edit(request, pk):
    milestone = get_object_or_404(Milestone.objects.for_owner(request.user).select_related("project"), pk=pk)
    return _milestone_form_page(request, milestone.project, milestone)


def revision_create(request, pk):
    item = get_object_or_404(
        ScopeItem.objects.for_owner(request.user).current().select_related("project__client"), pk=pk
    )
    form = RevisionRequestForm(request.POST or None, scope_item=item)
    quote = revision_quote(scope_item=item)
    if request.method == "POST" and form.is_valid():
        try:
            revision = revision_request_create(
                scope_item=item,
                description=form.cleaned_data["description"],
                requested_by=form.cleaned_data["requested_by"],
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if revision.is_billable:
                text = _("Revision round %(round)d recorded; it will be billed.")
            else:
                text = _("Revision round %(round)d recorded (included in the price).")
            messages.success(request, text % {"round": revision.round_number})
            return redirect(item.project)
    return render(request, "agreements/revision_form.html", {
        "form": form, "item": item, "project": item.project, "quote": quote,
    })
