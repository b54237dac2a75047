"""`manage.py send_alerts`: detect and deliver once (cron), or `--loop` until SIGTERM.

The loop runs as a real process against a migrated SQLite file, sending to aiosmtpd on loopback.
"""

import datetime
import io
import signal
import time

import pytest
from django.core.management import call_command

from agreements.models import Alert, AlertKind, Milestone
from tests.alerts.filedb import FiledbWatch, filedb_count, filedb_module, filedb_start
from tests.alerts.outbox import AlertFactory
from tests.factories import NOW, MilestoneFactory


def send_alerts(*args) -> str:
    out = io.StringIO()
    call_command("send_alerts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue(project):
    """Photos the client owed yesterday: one "overdue" alert for alice, nothing else."""
    return MilestoneFactory(project=project, title="Product photos", owed_by=Milestone.OwedBy.CLIENT,
                            due_at=NOW - datetime.timedelta(hours=20))


def test_one_run_detects_and_delivers(overdue, frozen_now, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = send_alerts()

    assert out == (
        "2026-11-23 09:00:00 UTC: 1 plans recomputed, 1 alerts raised, 1 to deliver, 0 stale claims released.\n"
    )
    (alert,) = Alert.objects.all()
    assert (alert.milestone, alert.kind, alert.status) == (overdue, AlertKind.OVERDUE, Alert.Status.SENT)
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "“Product photos” (Diwali packaging) is overdue: it was due Sun 22 Nov 2026, 18:30."


def test_a_second_run_raises_and_sends_nothing(overdue, frozen_now, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_alerts()
    with django_capture_on_commit_callbacks(execute=True):
        out = send_alerts()

    assert "0 plans recomputed, 0 alerts raised, 0 to deliver" in out
    assert Alert.objects.count() == 1
    assert len(mailoutbox) == 1


def test_deliveries_are_enqueued_only_once_the_scan_has_committed(
    overdue, frozen_now, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        send_alerts()
        assert Alert.objects.get().status == Alert.Status.PENDING
        assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert Alert.objects.get().status == Alert.Status.SENT
    assert len(mailoutbox) == 1


def test_a_run_puts_back_an_alert_left_sending_by_a_dead_worker_and_delivers_it(
    project, frozen_now, mailoutbox, django_capture_on_commit_callbacks
):
    alert = AlertFactory(milestone=MilestoneFactory(project=project), status=Alert.Status.SENDING,
                         claimed_at=NOW - datetime.timedelta(minutes=20), attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        out = send_alerts()

    assert out.endswith("1 to deliver, 1 stale claims released.\n")
    alert.refresh_from_db()
    assert (alert.status, alert.attempts) == (Alert.Status.SENT, 2)
    assert len(mailoutbox) == 1


# --loop, as a deployment without cron runs it ------------------------------------------------


@pytest.mark.subprocesses
def test_loop_keeps_detecting_and_delivering_and_stops_cleanly_on_sigterm(filedb_path, smtp_server, child_processes):
    assert filedb_module(filedb_path, "seed-overdue", "1", "1").returncode == 0
    process = filedb_start(filedb_path, ["manage.py", "send_alerts", "--loop", "--interval", "0.2", "-v", "2"],
                           env=smtp_server.env())
    child_processes.append(process)
    watch = FiledbWatch(process)

    assert len(smtp_server.wait_for(1, timeout=30)) == 1
    # Still running: a milestone that becomes overdue later is found and sent by a later run.
    added = filedb_module(filedb_path, "add-overdue", "freelancer0@example.com")
    assert added.returncode == 0, added.stderr
    assert len(smtp_server.wait_for(2, timeout=30)) == 2
    assert watch.wait_for_stdout("UTC: ", count=3, timeout=30)
    assert process.poll() is None

    runs_before = sum(" UTC: " in line for line in list(watch.stdout))
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = watch.finish(timeout=30)
    stopped_in = time.monotonic() - signalled
    runs_after = sum(" UTC: " in line for line in watch.stdout) - runs_before

    assert code == 0, "".join(watch.stderr)
    assert stopped_in < 5  # the run under way finishes; no new one starts
    # At most the run under way and one report printed but not read yet (runs are 0.2 s apart).
    assert runs_after <= 2, watch.stdout
    assert watch.stdout[-1] == "Stopped.\n"
    assert "Traceback" not in "".join(watch.stderr)
    assert [m["Subject"].split(" (")[0] for m in smtp_server.messages] == ["“Artwork 0-0”", "“Added later”"]
    assert filedb_count(filedb_path, "agreements_alert", "status = 'sent'") == 2


@pytest.mark.subprocesses
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_loop_stops_at_once_in_the_middle_of_a_long_interval(filedb_path, smtp_server, child_processes, signum):
    assert filedb_module(filedb_path, "seed-overdue", "1", "1").returncode == 0
    process = filedb_start(filedb_path, ["manage.py", "send_alerts", "--loop", "--interval", "600"],
                           env=smtp_server.env())
    child_processes.append(process)
    watch = FiledbWatch(process)
    assert len(smtp_server.wait_for(1, timeout=30)) == 1  # the first run is done: it is waiting 10 minutes
    time.sleep(0.2)

    signalled = time.monotonic()
    process.send_signal(signum)
    code = watch.finish(timeout=30)

    assert code == 0, "".join(watch.stderr)
    assert time.monotonic() - signalled < 5  # not the 10 minutes left of the interval
    assert "".join(watch.stdout) == "Stopped.\n"  # a loop reports each run only with -v 2
