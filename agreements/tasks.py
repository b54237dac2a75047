"""Background work through Django's tasks framework (`django.tasks`).

In-process by default (ImmediateBackend: the task runs when it is enqueued, after the commit);
with `VACHAN_TASKS=database` the tasks are rows for `manage.py db_worker` (django-tasks-db).
Arguments are JSON: an email travels as a dict, an alert as its id.
"""

import base64
import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)


def email_to_dict(message: EmailMultiAlternatives) -> dict:
    return {
        "subject": message.subject, "body": message.body, "from_email": message.from_email,
        "to": list(message.to), "cc": list(message.cc), "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
        "attachments": [
            [name, base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode(), mimetype]
            for name, content, mimetype in message.attachments
        ],
    }


def email_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], from_email=data["from_email"], to=data["to"],
        cc=data["cc"], bcc=data["bcc"], reply_to=data["reply_to"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


# A task left RUNNING this long was claimed by a worker that died (killed, out of memory, power
# lost): django-tasks-db never runs it again by itself. Far longer than any task here takes.
STALE_TASK_AFTER = datetime.timedelta(minutes=15)


def stale_tasks_release(*, now) -> int:
    """Put tasks claimed by a dead worker back in the queue (django-tasks-db); returns how many.

    A task whose email the server accepted just before its worker died is then sent again: at
    least once, never lost. With the in-process backend the table is empty and nothing matches.
    """
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - STALE_TASK_AFTER)
    return stale.update(status=TaskResultStatus.READY, started_at=None)


@task()
def send_email(message: dict) -> None:
    """Send one email. A failure is logged and raised, so the task's result records it."""
    email = email_from_dict(message)
    try:
        email.send()
    except Exception:
        log.exception("Could not send %r to %s", email.subject, email.to)
        raise


@task()
def deliver_alert(alert_id: int) -> str:
    from agreements.alerts.delivery import alert_deliver

    return str(alert_deliver(alert_id=alert_id, now=timezone.now()))
