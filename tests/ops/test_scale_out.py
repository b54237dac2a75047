"""Scale-out on PostgreSQL: several `db_worker` processes share one django-tasks-db queue.

Real processes against the test database on the throwaway PostgreSQL cluster (bin/test), sending
to a real SMTP server on loopback (aiosmtpd). The test process enqueues `send_email` tasks with
VACHAN_TASKS=database and reads the task rows and the received messages back; the workers are
`db_worker` commands in other processes, started together behind a time barrier
(`python -m tests.alerts.filedb at …`: Django is set up first, then each runs the command).

On SQLite these tests skip: scale-out is PostgreSQL's (README), where workers on any machines claim
rows with SELECT … FOR UPDATE SKIP LOCKED (the alert tests cover one worker on a SQLite file).
"""

import asyncio
import datetime
import email
import email.policy
import signal
import threading
import time
from urllib.parse import quote

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agreements.tasks import email_to_dict, send_email
from tests.alerts.conftest import SmtpRecorder, SmtpServer, smtp_free_port_number
from tests.alerts.filedb import FiledbWatch, filedb_manage, filedb_start

pytestmark = [
    pytest.mark.subprocesses,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="scale-out is tested on PostgreSQL (workers claim rows with SELECT … FOR UPDATE SKIP LOCKED); "
        "runs in bin/test's PostgreSQL phase",
    ),
]

COUNT = 200
SUBJECTS = [f"Task {n:03}" for n in range(1, COUNT + 1)]
BARRIER = 2.5  # seconds for each worker process to set Django up before they all start together


# Fixtures and helpers ----------------------------------------------------------------------------


@pytest.fixture
def database_tasks(settings):
    """VACHAN_TASKS=database in this process: `enqueue` writes django-tasks-db rows (Django rebuilds
    its task backends when TASKS changes, and again when the fixture puts it back)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def postgres_url(transactional_db) -> str:
    """A DATABASE_URL for the test database this run created (test_…, on the cluster's socket)."""
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{credentials}@{quote(s['HOST'] or '', safe='')}{port}/{quote(s['NAME'], safe='')}"


class HoldingRecorder(SmtpRecorder):
    """Takes `delay` seconds per message. Once `armed`, holds the next message at the end of DATA
    (the client waits for the server's answer) until `released`; that message is kept (the server
    accepted it, its answer never reached the sender) only if `accept_held`."""

    def __init__(self, *, delay: float, accept_held: bool):
        super().__init__()
        self.delay = delay
        self.accept_held = accept_held
        self.armed = threading.Event()
        self.released = threading.Event()
        self.held: str | None = None  # the subject of the message held

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        if not self.armed.is_set() or self.held is not None:
            return await super().handle_DATA(server, session, envelope)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.held = str(message["Subject"])
        if self.accept_held:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(message)
        while not self.released.is_set():  # cancelled when the sender's connection drops
            await asyncio.sleep(0.01)
        return "250 Message accepted for delivery" if self.accept_held else "451 4.3.0 Try again later"


@pytest.fixture
def smtp_slow():
    """A real SMTP server on loopback whose handler can hold one message (HoldingRecorder)."""

    def start(*, delay: float = 0.0, accept_held: bool = False) -> SmtpServer:
        server = SmtpServer(smtp_free_port_number())
        server.handler = HoldingRecorder(delay=delay, accept_held=accept_held)
        servers.append(server)
        return server.start()

    servers: list[SmtpServer] = []
    yield start
    for server in servers:
        server.handler.released.set()
        server.stop()


def enqueue_emails(subjects: list[str]) -> None:
    for subject in subjects:
        message = EmailMultiAlternatives(subject=subject, body=f"{subject}.", to=["alice@example.com"])
        send_email.enqueue(email_to_dict(message))


def worker_env(postgres_url: str, smtp: SmtpServer) -> dict:
    # VACHAN_SQLITE_PATH (set by filedb_env) is unused: DATABASE_URL wins in config/settings.py.
    return {"DATABASE_URL": postgres_url, "VACHAN_TASKS": "database", **smtp.env(), "SMTP_TIMEOUT": "20"}


def start_workers(processes, tmp_path, env: dict, worker_ids: list[str], *options: str) -> dict[str, FiledbWatch]:
    """`db_worker --worker-id ID OPTIONS…` in one process per id, all starting at the same moment."""
    start_at = f"{time.time() + BARRIER:.3f}"
    watches = {}
    for worker_id in worker_ids:
        argv = ["-m", "tests.alerts.filedb", "at", start_at,
                "db_worker", "--worker-id", worker_id, "--no-startup-delay", "--no-reload", *options]
        process = filedb_start(tmp_path / "unused.sqlite3", argv, env=env)
        processes.append(process)
        watches[worker_id] = FiledbWatch(process)
    return watches


def rows() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def subject_of(row: DBTaskResult) -> str:
    return row.args_kwargs["args"][0]["subject"]


def done_by(worker_id: str) -> int:
    return sum(r.worker_ids == [worker_id] for r in DBTaskResult.objects.successful())


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.02)


def received(smtp: SmtpServer) -> list[str]:
    return [str(m["Subject"]) for m in list(smtp.messages)]


# Two workers, one queue: each email exactly once -------------------------------------------------


def test_two_workers_share_one_queue_and_deliver_each_email_exactly_once(
    database_tasks, postgres_url, smtp_slow, child_processes, tmp_path
):
    smtp = smtp_slow()
    enqueue_emails(SUBJECTS)
    assert DBTaskResult.objects.ready().count() == COUNT

    workers = start_workers(child_processes, tmp_path, worker_env(postgres_url, smtp), ["worker-a", "worker-b"],
                            "--batch")

    for worker_id, watch in workers.items():  # --batch: each exits once the queue is empty
        assert watch.finish(timeout=60) == 0, f"{worker_id}: {''.join(watch.stderr)[-3000:]}"
    subjects = received(smtp)
    assert len(subjects) == COUNT  # none twice …
    assert sorted(subjects) == SUBJECTS  # … none missing
    assert {m["To"] for m in smtp.messages} == {"alice@example.com"}
    results = rows()
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * COUNT
    assert all(len(r.worker_ids) == 1 for r in results)  # each task claimed once
    per_worker = {worker_id: done_by(worker_id) for worker_id in workers}
    assert sum(per_worker.values()) == COUNT
    assert all(per_worker.values()), per_worker  # both took tasks from the one queue


# A worker killed mid-run ---------------------------------------------------------------------------


def run_and_kill_one(processes, tmp_path, postgres_url, smtp: SmtpServer, *, kill_after: int = 50):
    """Two long-running workers on 200 emails. Once `kill_after` messages arrived and both workers
    have finished some tasks, the server holds the next message in the middle of its sending, and
    the worker sending it is SIGKILLed; the other finishes the queue.

    Returns (killed id, survivor id, the held subject, the survivor's watch, tasks each had done
    when the kill happened)."""
    handler: HoldingRecorder = smtp.handler
    enqueue_emails(SUBJECTS)
    workers = start_workers(processes, tmp_path, worker_env(postgres_url, smtp), ["worker-a", "worker-b"],
                            "--interval", "0.1")

    wait_until(lambda: len(smtp.messages) >= kill_after and all(map(done_by, workers)), 20,
               f"{kill_after} messages from both workers")
    handler.armed.set()
    wait_until(lambda: handler.held is not None, 10, "a message to hold")
    (in_flight,) = [r for r in DBTaskResult.objects.running() if subject_of(r) == handler.held]
    (killed,) = in_flight.worker_ids
    (survivor,) = set(workers) - {killed}
    workers[killed].process.send_signal(signal.SIGKILL)
    assert workers[killed].finish(timeout=10) == -signal.SIGKILL
    done_at_kill = {worker_id: done_by(worker_id) for worker_id in workers}
    handler.released.set()
    assert workers[survivor].process.poll() is None, "".join(workers[survivor].stderr)[-3000:]
    return killed, survivor, handler.held, workers[survivor], done_at_kill


def test_a_worker_killed_mid_send_leaves_only_its_one_task_behind(
    database_tasks, postgres_url, smtp_slow, child_processes, tmp_path
):
    """The other worker delivers every other email, once. The killed worker's task — the server had
    not accepted its message — stays RUNNING: django-tasks-db 0.13 never runs it again (see the
    next test)."""
    smtp = smtp_slow(delay=0.01)
    killed, survivor, held, survivor_watch, done_at_kill = run_and_kill_one(
        child_processes, tmp_path, postgres_url, smtp
    )

    wait_until(lambda: DBTaskResult.objects.successful().count() == COUNT - 1, 20, "the survivor to finish")
    time.sleep(0.3)  # a few more polls of the queue: nothing else must happen
    survivor_watch.process.send_signal(signal.SIGTERM)  # stops gracefully between tasks
    assert survivor_watch.finish(timeout=10) == 0, "".join(survivor_watch.stderr)[-3000:]

    subjects = received(smtp)
    assert len(subjects) == len(set(subjects)) == COUNT - 1  # nothing twice
    assert sorted(subjects) == [s for s in SUBJECTS if s != held]  # all but the one in flight
    assert done_by(killed) == done_at_kill[killed] > 0  # it worked until it was killed …
    assert done_by(survivor) == COUNT - 1 - done_at_kill[killed] > done_at_kill[survivor]  # … the other took over
    (left,) = [r for r in rows() if r.status != TaskResultStatus.SUCCESSFUL]
    assert (left.status, left.worker_ids, subject_of(left)) == (TaskResultStatus.RUNNING, [killed], held)
    assert DBTaskResult.objects.ready().count() == 0


@pytest.mark.parametrize("accepted", [False, True], ids=["killed-before-the-server-accepted",
                                                         "killed-after-the-server-accepted"])
def test_after_a_worker_is_killed_every_email_is_eventually_delivered(
    database_tasks, postgres_url, smtp_slow, child_processes, tmp_path, accepted
):
    """The guarantee: every email arrives at least once, and only the one in flight when the worker
    died may arrive twice (if the server had accepted it before the kill)."""
    smtp = smtp_slow(delay=0.01, accept_held=accepted)
    killed, survivor, held, survivor_watch, _ = run_and_kill_one(child_processes, tmp_path, postgres_url, smtp)
    wait_until(lambda: DBTaskResult.objects.successful().count() == COUNT - 1, 20, "the survivor to finish")
    survivor_watch.process.send_signal(signal.SIGTERM)
    assert survivor_watch.finish(timeout=10) == 0

    # Later: the claim is older than any timeout the product may choose; the periodic job runs,
    # then a worker (restarted, or still running) takes what is ready.
    DBTaskResult.objects.running().update(started_at=timezone.now() - datetime.timedelta(hours=2))
    env = worker_env(postgres_url, smtp)
    scan = filedb_manage(tmp_path / "unused.sqlite3", "send_alerts", env=env, timeout=60)
    assert scan.returncode == 0, scan.stderr
    worker = filedb_manage(tmp_path / "unused.sqlite3", "db_worker", "--batch", "--no-startup-delay",
                           "--worker-id", "worker-c", env=env, timeout=60)
    assert worker.returncode == 0, worker.stderr

    subjects = received(smtp)
    assert set(subjects) == set(SUBJECTS)  # every email at least once
    assert len(subjects) - len(set(subjects)) <= 1  # at most one twice …
    assert [s for s in set(subjects) if subjects.count(s) > 1] in ([], [held])  # … the one in flight
    assert DBTaskResult.objects.running().count() == 0
    assert DBTaskResult.objects.successful().count() == COUNT
