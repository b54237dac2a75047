"""Telling the freelancer what a client did in the portal: a row in the app, and an email.

The row is written in the caller's transaction; the email goes out after it commits (never for
something that rolled back). A mail server that is down loses only the email: the row stays.
"""

from agreements.mail import send_after_commit, templated_email
from agreements.models import Notification


def notify(*, recipient, kind: str, text: str, path: str, base_url: str, now) -> Notification:
    """Record a notification for the freelancer and email it to them once the transaction commits."""
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=str(text)[:300], url=path, created_at=now
    )
    context = {"text": str(text), "url": base_url.rstrip("/") + path, "recipient": recipient}
    message = templated_email(template="email/notification", context=context, subject=text, to=[recipient.email])
    send_after_commit([message])
    return notification


def notifications_read(*, user, now) -> int:
    return Notification.objects.for_owner(user).unread().update(read_at=now)
