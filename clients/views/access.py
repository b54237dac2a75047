"""The freelancer opens and closes a contact's way into the portal."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.mail import address, templated_email
from agreements.models.profile import profile_for
from clients.invitations import invitation_create, portal_access_end
from clients.views.clients import owned_contact


@require_POST
def contact_invite(request, pk):
    contact = owned_contact(request, pk)
    now = timezone.now()
    invitation, token = invitation_create(contact=contact, sent_by=request.user, now=now)
    profile = profile_for(request.user)
    with translation.override(contact.preferred_language):
        context = {
            "contact": contact, "profile": profile, "invitation": invitation,
            "url": request.build_absolute_uri(reverse("portal:invitation", args=[token])),
            "portal_url": request.build_absolute_uri(reverse("portal:login")),
            "help_url": request.build_absolute_uri(reverse("portal:help_create")),
        }
        message = templated_email(
            template="email/portal_invitation", context=context,
            subject=_("%(name)s invites you to the Vachan portal") % {"name": profile.name},
            to=[address(contact.name, contact.email)], reply_to=[address(profile.name, profile.contact_email)],
        )
    try:
        message.send()
    except OSError:
        invitation.delete()
        messages.error(request, _("The invitation could not be sent: the mail server did not answer. Try again."))
    else:
        messages.success(request, _("Invitation sent to %(email)s. The link works once, for 7 days.") % {
            "email": contact.email})
    return redirect(contact.client)


@require_POST
def contact_portal_end(request, pk):
    contact = owned_contact(request, pk)
    portal_access_end(contact=contact, now=timezone.now())
    messages.success(request, _("%(name)s can no longer use the portal. Their open sessions have ended.") % {
        "name": contact.name})
    return redirect(contact.client)
