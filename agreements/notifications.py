"""Telling the freelancer what a client did in the portal: a row in the app, and an email.

The row is written in the caller's transaction; the email goes out after it commits (never for
something that rolled back). A mail server that is down loses only the email: the row stays.
Both are in the freelancer's language, not the client's who caused them: callers pass the text
made lazily (`in_their_language`), so it is composed here, in the freelancer's language.
"""

from django.utils import translation

from agreements.languages import freelancer_language
from agreements.mail import send_after_commit, templated_email
from agreements.models import Notification


def notify(*, recipient, kind: str, text, path: str, base_url: str, now) -> Notification:
    """Record a notification for the freelancer and email it to them once the transaction commits."""
    with translation.override(freelancer_language(recipient)):
        line = str(text)
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, text=line[:300], url=path, created_at=now
        )
        context = {"text": line, "url": base_url.rstrip("/") + path, "recipient": recipient}
        message = templated_email(template="email/notification", context=context, subject=line, to=[recipient.email])
    send_after_commit([message])
    return notification


def notifications_read(*, user, now) -> int:
    return Notification.objects.for_owner(user).unread().update(read_at=now)
