"""Emails to client contacts about the portal. Every one ends with "Need help?" and the portal link.

Sent after the transaction commits; a mail server that is down loses the email, never the
change (the contact still sees it in the portal).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy

from agreements.mail import address, send_after_commit, templated_email
from agreements.models import Project
from agreements.models.profile import profile_for


def in_their_language(make) -> str:
    """Text composed when it is read: `portal_email` reads subjects and lines once per contact,
    in that contact's language, so `make` (which calls gettext) must not run before."""
    return lazy(make, str)()


def portal_email(*, contacts, subject: str, lines: list[str], path: str, base_url: str, owner) -> None:
    """Tell contacts something, in their own language, with a link to the portal page about it."""
    profile = profile_for(owner)
    root = base_url.rstrip("/")
    messages = []
    for contact in contacts:
        with translation.override(contact.preferred_language):
            context = {
                "contact": contact, "profile": profile, "lines": [str(line) for line in lines],
                "url": root + path, "help_url": root + reverse("portal:help_create"),
            }
            messages.append(templated_email(
                template="email/portal_message", context=context, subject=subject,
                to=[address(contact.name, contact.email)], reply_to=[address(profile.name, profile.contact_email)],
            ))
    send_after_commit(messages)


def email_deciders(*, change_request, subject, lines: list, base_url: str) -> None:
    """Ask the contacts who may decide on a quoted change request, with its portal page.

    Nobody is asked while the project is a draft: it is not in the portal yet.
    """
    project = change_request.project
    if project.status == Project.Status.DRAFT:
        return
    portal_email(
        contacts=list(project.client.contacts.approvers().filter(portal_access=True)), owner=project.owner,
        subject=subject, lines=lines, path=reverse("portal:change", args=[change_request.pk]), base_url=base_url,
    )
