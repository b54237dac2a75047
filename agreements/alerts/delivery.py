"""Alert rows → the app and email. Exactly once per alert, nothing lost.

A delivery first claims its row with a conditional UPDATE (pending → sending): of several
workers only the one that changed the row goes on. The in-app notification is written once. The
row is marked sent only after the mail server accepted every message. A server that is down, or
answers "try later" (4xx), leaves the row pending with a growing pause between attempts; a
permanent rejection (5xx) marks it failed with the server's answer, shown on the dashboard and
never retried. A claim left behind by a process that died mid-send is released after
CLAIM_TIMEOUT.
"""

import datetime
import logging
import smtplib

from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agreements.alerts.messages import alert_emails, alert_line, alert_path
from agreements.languages import freelancer_language
from agreements.models import Alert, AlertKind, Notification, Project

log = logging.getLogger(__name__)

NO_CONTACT = _("Nobody at the client to remind: give a contact portal access or tick “receives summaries”.")

CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
MAX_PAUSE = datetime.timedelta(minutes=30)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message (its recipients or its content): sending it again cannot succeed.

    A 5xx about us — a wrong SMTP password (535), a sender address the server refuses — is our
    configuration, fixed once for every message: those alerts wait and go out when it is.
    `smtplib.SMTPException` is an `OSError`, so this is asked before treating anything as an outage.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = error.recipients.items()
        return "; ".join(f"{who}: {code} {msg.decode(errors='replace')}" for who, (code, msg) in refused)
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"


def pause_after(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes, then MAX_PAUSE for ever (the exponent is capped: an alert retried for
    days must not overflow the pause)."""
    return min(datetime.timedelta(minutes=2 ** min(max(attempts - 1, 0), 10)), MAX_PAUSE)


def _still_needed(alert: Alert) -> bool:
    """Not for a milestone since done or a project since paused, nor a warning a nearer one replaced
    (several warnings of one deadline fall due together after a missed scan: only the last is sent)."""
    m = alert.milestone
    if m is None:
        return True
    if m.project.status != Project.Status.ACTIVE:
        return False
    if alert.kind in (AlertKind.DUE_SOON, AlertKind.CLIENT_DUE):
        nearer = Alert.objects.filter(milestone=m, kind=alert.kind, threshold__gt=alert.threshold)
        if nearer.filter(threshold__lt=m.due_at).exists():
            return False
    return m.completed_at is None


def _finish(alert_id: int, **fields) -> None:
    Alert.objects.filter(pk=alert_id, status=Alert.Status.SENDING).update(claimed_at=None, queued_at=None, **fields)


def alert_deliver(*, alert_id: int, now) -> str:
    """Deliver one alert if it is due and nobody else has it; returns what happened."""
    claimed = Alert.objects.deliverable(now).filter(pk=alert_id).update(
        status=Alert.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "taken"
    alert = Alert.objects.select_related("owner", "milestone__project__client").get(pk=alert_id)
    if not _still_needed(alert):
        _finish(alert_id, status=Alert.Status.SKIPPED)
        return Alert.Status.SKIPPED
    messages = alert_emails(alert, now=now)
    client_side = alert.kind == AlertKind.CLIENT_DUE
    if not client_side:
        _notify_once(alert, now=now)  # in the app at once, whatever the mail server does
    rejected = []
    for message in messages:
        # A client reminder is one message per contact: one the server already accepted is not
        # sent again when a later one is retried, and one address refused does not stop the others.
        if set(message.to) <= set(alert.sent_to):
            continue
        try:
            message.send()
        except Exception as error:
            if is_permanent(error):
                log.warning("Alert %s rejected by the mail server: %s", alert_id, _describe(error))
                rejected.append(_describe(error))
                continue
            log.warning("Alert %s not sent, will retry: %s", alert_id, _describe(error))
            _finish(alert_id, status=Alert.Status.PENDING, last_error=_describe(error),
                    next_attempt_at=now + pause_after(alert.attempts))
            return Alert.Status.PENDING
        alert.sent_to = [*alert.sent_to, *message.to]
        Alert.objects.filter(pk=alert_id).update(sent_to=alert.sent_to)
    if client_side:
        _notify_once(alert, now=now, reminded=bool(alert.sent_to))
    if not messages:
        _finish(alert_id, status=Alert.Status.FAILED, last_error=str(NO_CONTACT))
        return Alert.Status.FAILED
    if not alert.sent_to:
        _finish(alert_id, status=Alert.Status.FAILED, last_error="; ".join(rejected))
        return Alert.Status.FAILED
    _finish(alert_id, status=Alert.Status.SENT, sent_at=now, last_error="; ".join(rejected))
    return Alert.Status.SENT


def _notify_once(alert: Alert, *, now, reminded: bool = True) -> None:
    """The in-app notification for this alert, written once (the first attempt that gets here)."""
    with transaction.atomic():
        if Alert.objects.filter(pk=alert.pk, notified_at=None).update(notified_at=now):
            with translation.override(freelancer_language(alert.owner)):  # not the delivering process's
                text = alert_line(alert, now=now, reminded=reminded)[:300]
            Notification.objects.create(
                recipient=alert.owner, kind=Notification.Kind.DEADLINE_ALERT, url=alert_path(alert),
                text=text, created_at=now,
            )


def claims_release(*, now) -> int:
    """Put back alerts claimed by a process that died before it finished."""
    return Alert.objects.filter(status=Alert.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        status=Alert.Status.PENDING, claimed_at=None
    )


def deliverable_ids(*, now, limit: int = 500) -> list[int]:
    """Pending alerts due an attempt and not queued in the last CLAIM_TIMEOUT; marked queued now.

    So a worker that is down or behind finds one task per alert waiting, not one per run.
    """
    due = Alert.objects.deliverable(now).filter(Q(queued_at=None) | Q(queued_at__lt=now - CLAIM_TIMEOUT))
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    Alert.objects.filter(pk__in=ids).update(queued_at=now)
    return ids
