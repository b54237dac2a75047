"""Telling the freelancer what a client did in the portal: a row in the app, and an email.

The row is written in the caller's transaction; the email goes out after it commits (never for
something that rolled back). A mail server that is down loses only the email: the row stays.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from agreements.models import Notification

log = logging.getLogger(__name__)


def notify(*, recipient, kind: str, text: str, path: str, base_url: str, now) -> Notification:
    """Record a notification for the freelancer and email it to them once the transaction commits."""
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=str(text)[:300], url=path, created_at=now
    )
    context = {"text": str(text), "url": base_url.rstrip("/") + path, "recipient": recipient}
    language = translation.get_language()

    def send():
        try:
            with translation.override(language):
                message = EmailMultiAlternatives(
                    subject=" ".join(str(text).split())[:150],  # a header is one line
                    body=render_to_string("email/notification.txt", context),
                    to=[recipient.email],
                )
                message.attach_alternative(render_to_string("email/notification.html", context), "text/html")
                message.send()
        except Exception:  # the notification row is the record; a failed email must not break the portal
            log.exception("Could not email notification %s to %s", notification.pk, recipient.email)

    transaction.on_commit(send)
    return notification


def notifications_read(*, user, now) -> int:
    return Notification.objects.for_owner(user).unread().update(read_at=now)
