"""The executive summary: the live page, sharing it, the snapshots kept, and the public link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agreements.forms.documents import ShareSummaryForm, SummaryNoteForm
from agreements.models import Project, SummaryLink, SummarySnapshot
from agreements.sharing import (
    SharingError,
    link_create,
    link_open,
    link_revoke,
    link_url,
    snapshot_create,
    summary_email,
)
from agreements.summary import executive_summary
from agreements.views.contracts import pdf_response
from agreements.views.projects import owned_project


def overview_project(request, pk) -> Project:
    """The owner's project with everything the summary reads, in a fixed number of queries."""
    return get_object_or_404(Project.objects.for_owner(request.user).for_overview(), pk=pk)


def _summary_page(request, project, *, note_form=None, share_form=None, status=200):
    summary = executive_summary(project=project, now=timezone.now())
    return render(request, "agreements/summary.html", {
        "project": project,
        "summary": summary,
        "note_form": note_form or SummaryNoteForm(instance=project),
        "share_form": share_form or ShareSummaryForm(initial={"paper_size": summary.profile.paper_size}),
        "snapshots": project.summary_snapshots.without_files().prefetch_related("links"),
        "now": summary.as_of,
    }, status=status)


def summary_detail(request, pk):
    project = overview_project(request, pk)
    note_form = SummaryNoteForm(request.POST or None, instance=project)
    if request.method == "POST" and note_form.is_valid():
        note_form.save()
        messages.success(request, _("Your note is saved. It appears on the summary from now on."))
        return redirect("agreements:summary", pk=project.pk)
    return _summary_page(request, project, note_form=note_form, status=400 if note_form.errors else 200)


@require_POST
def summary_share(request, pk):
    form = ShareSummaryForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, overview_project(request, pk), share_form=form, status=400)
    project = owned_project(request, pk)
    action, paper = form.cleaned_data["action"], form.cleaned_data["paper_size"]
    now = timezone.now()
    if action == "email":
        try:
            snapshots = summary_email(project=project, sent_by=request.user, now=now, paper_size=paper)
        except SharingError as error:
            messages.error(request, str(error))
            return redirect("agreements:summary", pk=project.pk)
        except (OSError, ValueError) as error:  # SMTP down or refusing; a header it cannot send
            messages.error(request, _(
                "The email could not be sent (%(reason)s). Only the copies listed under “What we told them” went out; "
                "please try again later."
            ) % {"reason": error.__class__.__name__})
            return redirect("agreements:summary", pk=project.pk)
        messages.success(request, _("The summary was emailed to %(recipients)s.") % {
            "recipients": ", ".join(s.recipients for s in snapshots),
        })
        return redirect("agreements:summary", pk=project.pk)
    reason = SummarySnapshot.Reason.LINK if action == "link" else SummarySnapshot.Reason.DOWNLOAD
    snapshot = snapshot_create(project=project, created_by=request.user, now=now, reason=reason, paper_size=paper)
    if action == "download":
        return redirect("agreements:summary_snapshot_pdf", pk=snapshot.pk)
    link, token = link_create(snapshot=snapshot, now=now, days=form.cleaned_data["days"])
    messages.success(request, _(
        "Read-only link made. Copy it now, it is shown only once: %(url)s (valid until %(date)s)."
    ) % {
        "url": request.build_absolute_uri(link_url(token)),
        "date": date_format(project.local_date(link.expires_at)),
    })
    return redirect("agreements:summary", pk=project.pk)


def owned_snapshot(request, pk, *, with_files=False) -> SummarySnapshot:
    snapshots = SummarySnapshot.objects.for_owner(request.user).select_related("project__client")
    return get_object_or_404(snapshots if with_files else snapshots.defer("pdf"), pk=pk)


def summary_snapshot(request, pk):
    snapshot = owned_snapshot(request, pk)
    return render(request, "agreements/summary_snapshot.html", {"snapshot": snapshot, "project": snapshot.project})


def summary_snapshot_pdf(request, pk):
    snapshot = owned_snapshot(request, pk, with_files=True)
    return pdf_response(snapshot.pdf, snapshot.filename, download=True)


@require_POST
def summary_link_revoke(request, pk):
    link = get_object_or_404(SummaryLink.objects.for_owner(request.user).select_related("snapshot"), pk=pk)
    link_revoke(link=link, now=timezone.now())
    messages.success(request, _("The link is revoked: it no longer opens the summary."))
    return redirect("agreements:summary", pk=link.snapshot.project_id)


def _private(response):
    # The token is in the URL: never pass it on, never let a search engine or a cache keep it.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _gone(request):
    # The same answer for a wrong, an expired and a revoked token: nothing to learn by guessing.
    return _private(render(request, "agreements/shared_summary_gone.html", status=404))


@login_not_required
@never_cache
def shared_summary(request, token):
    link = link_open(token=token, now=timezone.now())
    if link is None:
        return _gone(request)
    return _private(render(request, "agreements/shared_summary.html", {
        "snapshot": link.snapshot, "link": link, "token": token,
    }))


@login_not_required
@never_cache
def shared_summary_pdf(request, token):
    link = link_open(token=token, now=timezone.now())
    if link is None:
        return _gone(request)
    snapshot = link.snapshot
    return _private(pdf_response(snapshot.pdf, snapshot.filename, download=True))
