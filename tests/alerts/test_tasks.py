"""Emails go through django.tasks (agreements/tasks.py), enqueued when the transaction commits.

By default the ImmediateBackend runs each task in-process after the commit; with
VACHAN_TASKS=database they are rows (django-tasks-db) that `manage.py db_worker` delivers.
"""

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_enqueued, task_finished

from agreements.changes import change_request_approve
from agreements.models import ChangeRequest, Notification
from agreements.notifications import notify
from agreements.tasks import email_from_dict, email_to_dict, send_email
from tests.alerts.filedb import filedb_count, filedb_manage, filedb_module, filedb_query
from tests.factories import NOW


@pytest.fixture
def tasks_seen():
    """Every task enqueued and finished during the test, as (task name, status)."""
    seen = {"enqueued": [], "finished": []}

    def on_enqueued(sender, task_result, **kwargs):
        seen["enqueued"].append(task_result.task.name)

    def on_finished(sender, task_result, **kwargs):
        seen["finished"].append((task_result.task.name, task_result.status))

    task_enqueued.connect(on_enqueued, dispatch_uid="tests_alerts_tasks_enqueued")
    task_finished.connect(on_finished, dispatch_uid="tests_alerts_tasks_finished")
    yield seen
    task_enqueued.disconnect(dispatch_uid="tests_alerts_tasks_enqueued")
    task_finished.disconnect(dispatch_uid="tests_alerts_tasks_finished")


def notify_alice(freelancer):
    return notify(recipient=freelancer, kind=Notification.Kind.CHANGE_DECIDED, text="Rahul approved CR-1",
                  path="/projects/1/", base_url="https://vachan.example", now=NOW)


def test_the_default_backend_runs_tasks_in_process():
    assert isinstance(task_backends["default"], ImmediateBackend)


def test_notify_emails_through_a_task_only_once_the_transaction_commits(
    freelancer, mailoutbox, tasks_seen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify_alice(freelancer)
        assert mailoutbox == [] and tasks_seen["enqueued"] == []

    assert tasks_seen["finished"] == [("send_email", TaskResultStatus.SUCCESSFUL)]
    (message,) = mailoutbox
    assert (message.to, message.subject) == (["alice@example.com"], "Rahul approved CR-1")
    assert "https://vachan.example/projects/1/" in message.body
    assert Notification.objects.filter(recipient=freelancer).count() == 1


def test_a_notification_that_rolls_back_sends_nothing(
    freelancer, mailoutbox, tasks_seen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_alice(freelancer)
            raise RuntimeError("something after it failed")

    assert callbacks == []
    assert tasks_seen["enqueued"] == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_an_approval_that_rolls_back_sends_nothing(
    quoted_change, approver, freelancer, mailoutbox, tasks_seen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=None, now=NOW)
            notify_alice(freelancer)
            raise RuntimeError("the request failed after the approval")

    assert callbacks == []
    assert tasks_seen["enqueued"] == []
    assert mailoutbox == []
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED


def test_a_mail_server_that_is_down_loses_only_the_email(
    freelancer, smtp_mailer, tasks_seen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_alice(freelancer)

    assert tasks_seen["finished"] == [("send_email", TaskResultStatus.FAILED)]
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_an_email_travels_to_the_task_whole(mailoutbox):
    original = EmailMultiAlternatives(
        subject="Contract v2 — “दिवाळी”", body="Text", from_email="Vachan <noreply@vachan.example>",
        to=["Rahul <rahul@sahyadri.example>"], cc=["meera@sahyadri.example"], bcc=["audit@vachan.example"],
        reply_to=["Alice <alice@example.com>"],
    )
    original.attach_alternative("<p>HTML</p>", "text/html")
    original.attach("contract.pdf", b"%PDF-1.7 \x00\xff", "application/pdf")

    send_email.enqueue(email_to_dict(original))

    (sent,) = mailoutbox
    copy = email_from_dict(email_to_dict(original))
    for message in (sent, copy):
        assert (message.subject, message.body, message.from_email) == (original.subject, "Text", original.from_email)
        assert (message.to, message.cc, message.bcc, message.reply_to) == (
            original.to, original.cc, original.bcc, original.reply_to
        )
        assert [tuple(a) for a in message.alternatives] == [("<p>HTML</p>", "text/html")]
        assert [tuple(a) for a in message.attachments] == [("contract.pdf", b"%PDF-1.7 \x00\xff", "application/pdf")]


# VACHAN_TASKS=database: rows, and the worker that delivers them -----------------------------

TASKS_TABLE = "django_tasks_database_dbtaskresult"


@pytest.mark.subprocesses
def test_with_the_database_backend_a_worker_delivers_the_queued_emails(filedb_path, smtp_server):
    env = {"VACHAN_TASKS": "database", **smtp_server.env()}
    assert filedb_module(filedb_path, "seed-overdue", "1", "1").returncode == 0

    scanned = filedb_manage(filedb_path, "send_alerts", env=env)
    notified = filedb_module(filedb_path, "notify", "freelancer0@example.com", env=env)

    assert scanned.returncode == 0 and notified.returncode == 0, scanned.stderr + notified.stderr
    assert "1 alerts raised, 1 to deliver" in scanned.stdout
    assert filedb_query(filedb_path, f"SELECT task_path, status FROM {TASKS_TABLE} ORDER BY enqueued_at") == [
        ("agreements.tasks.deliver_alert", "READY"), ("agreements.tasks.send_email", "READY"),
    ]
    assert filedb_query(filedb_path, "SELECT status, attempts FROM agreements_alert") == [("pending", 0)]
    assert smtp_server.messages == []

    worker = filedb_manage(filedb_path, "db_worker", "--batch", "--no-startup-delay", env=env, timeout=60)

    assert worker.returncode == 0, worker.stderr
    assert filedb_count(filedb_path, TASKS_TABLE, "status = 'SUCCESSFUL'") == 2
    assert filedb_query(filedb_path, "SELECT status, attempts FROM agreements_alert") == [("sent", 1)]
    messages = smtp_server.wait_for(2)
    subjects = sorted(m["Subject"] for m in messages)
    assert len(subjects) == 2
    assert subjects[0] == "Rahul asked for help"
    assert subjects[1].startswith("“Artwork 0-0” (") and "is overdue" in subjects[1]
    assert {m["To"] for m in messages} == {"freelancer0@example.com"}


@pytest.mark.subprocesses
def test_a_second_run_before_the_worker_does_not_queue_the_same_alerts_again(filedb_path, smtp_server):
    """A worker that is down or behind finds one task per alert waiting, not one per run."""
    env = {"VACHAN_TASKS": "database", **smtp_server.env()}
    assert filedb_module(filedb_path, "seed-overdue", "1", "2").returncode == 0

    first = filedb_manage(filedb_path, "send_alerts", env=env)
    again = filedb_manage(filedb_path, "send_alerts", env=env)

    assert "2 alerts raised, 2 to deliver" in first.stdout
    assert "0 alerts raised, 0 to deliver" in again.stdout  # queued already, not yet run
    worker = filedb_manage(filedb_path, "db_worker", "--batch", "--no-startup-delay", env=env, timeout=60)
    assert worker.returncode == 0, worker.stderr
    assert filedb_query(filedb_path, "SELECT status, attempts FROM agreements_alert") == [("sent", 1)] * 2
    assert filedb_query(filedb_path, f"SELECT return_value FROM {TASKS_TABLE} ORDER BY return_value") == [
        ('"sent"',), ('"sent"',)
    ]
    assert len(smtp_server.wait_for(2)) == 2
