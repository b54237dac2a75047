"""Emails to client contacts about the portal. Every one ends with "Need help?" and the portal link.

Sent after the transaction commits; a mail server that is down loses the email, never the
change (the contact still sees it in the portal).
"""

from django.urls import reverse
from django.utils import translation

from agreements.mail import address, send_after_commit, templated_email
from agreements.models.profile import profile_for


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
