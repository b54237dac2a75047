"""Emails to client contacts about the portal. Every one ends with "Need help?" and the portal link.

Sent after the transaction commits; a mail server that is down loses the email, never the
change (the contact still sees it in the portal).
"""

import logging
from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agreements.models.profile import profile_for

log = logging.getLogger(__name__)


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
            message = EmailMultiAlternatives(
                subject=" ".join(str(subject).split())[:150],
                body=render_to_string("email/portal_message.txt", context),
                to=[formataddr((contact.name, contact.email))],
                reply_to=[formataddr((profile.name, profile.contact_email))],
            )
            message.attach_alternative(render_to_string("email/portal_message.html", context), "text/html")
            messages.append(message)

    def send():
        for message in messages:
            try:
                message.send()
            except Exception:  # the portal shows it anyway; a failed email must not undo anything
                log.exception("Could not email %s", message.to)

    transaction.on_commit(send)
