"""Need help? A short written request from any portal page, and the answers to it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Notification
from agreements.models.profile import profile_for
from agreements.notifications import notify
from clients.help import help_reply, help_request_create
from clients.models import HelpRequest
from clients.portal.forms import HelpReplyForm, HelpRequestForm
from clients.portal.mail import in_their_language
from clients.portal.scope import site_root, visible_projects
from clients.portal.sessions import portal_view


def _help_requests(request):
    return HelpRequest.objects.filter(client_id__in=request.portal.client_ids)


@portal_view
def help_list(request):
    help_requests = list(_help_requests(request).for_list())
    for help_request in help_requests:
        help_request.portal_zone = request.portal.zone_for(help_request.client_id, help_request.project)
    return render(request, "portal/help_list.html", {"help_requests": help_requests})


@portal_view
def help_create(request):
    portal = request.portal
    asked = request.GET.get("project", "")
    project = (
        visible_projects(portal).filter(pk=int(asked)).select_related("owner").first() if asked.isdigit() else None
    )
    contacts = [portal.contact_for(project)] if project else list(portal.contacts.values())
    # Someone who is a contact at several clients says whom they are asking: never a guess.
    zone = portal.zone_for(contacts[0].client_id, project)
    form = HelpRequestForm(request.POST or None, zone=zone, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        contact = form.contact
        zone = portal.zone_for(contact.client_id, project)
        help_request = help_request_create(
            contact=contact, project=project, now=now, what=form.cleaned_data["what"],
            needed_by=form.cleaned_data["needed_by"],
        )
        owner = contact.client.owner
        notify(
            recipient=owner, kind=Notification.Kind.HELP_REQUESTED,
            text=in_their_language(lambda: _("%(contact)s (%(client)s) needs help by %(date)s: %(what)s") % {
                "contact": contact.name, "client": contact.client.name,
                "date": help_request.needed_by.isoformat(), "what": help_request.what[:120],
            }),
            path=help_request.get_absolute_url(), base_url=site_root(request), now=now,
        )
        profile = profile_for(owner)
        messages.success(request, _("Your question is sent to %(name)s. Expect an answer by %(when)s.") % {
            "name": profile.name,
            "when": timezone.localtime(profile.answer_expected_by(now), zone).strftime("%Y-%m-%d %H:%M"),
        })
        return redirect("portal:help_detail", help_request.pk)
    return render(request, "portal/help_form.html", {"form": form, "project": project})



@portal_view
def help_detail(request, pk):
    help_request = get_object_or_404(
        _help_requests(request).select_related("contact", "client__owner", "project"), pk=pk
    )
    form = HelpReplyForm(request.POST or None)
    contact = request.portal.contacts[help_request.client_id]
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        help_reply(
            help_request=help_request, text=form.cleaned_data["text"], from_freelancer=False,
            author=contact.name, now=now,
        )
        notify(
            recipient=help_request.client.owner, kind=Notification.Kind.HELP_REQUESTED,
            text=in_their_language(lambda: _("%(contact)s (%(client)s) replied about: %(what)s") % {
                "contact": contact.name, "client": help_request.client.name, "what": help_request.what[:120],
            }),
            path=help_request.get_absolute_url(), base_url=site_root(request), now=now,
        )
        messages.success(request, _("Your reply is sent."))
        return redirect("portal:help_detail", help_request.pk)
    profile = profile_for(help_request.client.owner)
    return render(request, "portal/help_detail.html", {
        "help_request": help_request, "replies": help_request.replies.all(), "form": form, "profile": profile,
        "expected_by": profile.answer_expected_by(help_request.created_at),
        "zone": request.portal.zone_for(help_request.client_id, help_request.project),
    })
