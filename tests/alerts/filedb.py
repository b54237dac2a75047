"""Tests that start other processes: manage.py against a migrated SQLite file, as a deployment runs.

The test process only starts commands and reads the file back with `sqlite3`; everything that
writes runs in a subprocess with its own Django, through the same settings production uses
(VACHAN_SQLITE_PATH, VACHAN_TASKS, SMTP_*). The fixtures are in tests/alerts/conftest.py
(`filedb_*`).

Run as a module inside such a subprocess (cwd = the project):

    python -m tests.alerts.filedb seed-overdue OWNERS MILESTONES [PLANNED]  # OWNERS×MILESTONES alerts to raise
    python -m tests.alerts.filedb add-overdue EMAIL                 # one more overdue milestone for them
    python -m tests.alerts.filedb notify EMAIL                      # notify() the freelancer, committed
    python -m tests.alerts.filedb at UNIX_TIME COMMAND [ARGS…]      # set up, wait until then, run the command
"""

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# Variables of the outer test run that must not leak into a subprocess's settings.
_OURS = ("VACHAN_", "SMTP_", "DATABASE_URL", "DJANGO_", "PYTEST_", "DEFAULT_FROM_EMAIL")


def filedb_env(db_path: Path, **extra: str) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith(_OURS)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", VACHAN_SQLITE_PATH=str(db_path), PYTHONUNBUFFERED="1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def filedb_manage(db_path: Path, *args: str, env: dict | None = None, timeout: float = 60):
    """`manage.py ARGS` against the file, to completion; returns the CompletedProcess."""
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=filedb_env(db_path, **(env or {})),
        capture_output=True, text=True, timeout=timeout,
    )


def filedb_module(db_path: Path, *args: str, env: dict | None = None, timeout: float = 60):
    """`python -m tests.alerts.filedb ARGS` against the file, to completion."""
    return subprocess.run(
        [PYTHON, "-m", "tests.alerts.filedb", *args], cwd=ROOT, env=filedb_env(db_path, **(env or {})),
        capture_output=True, text=True, timeout=timeout,
    )


def filedb_start(db_path: Path, argv: list[str], env: dict | None = None) -> subprocess.Popen:
    """Start `python ARGV…` (e.g. ["manage.py", "send_alerts", "--loop"]) and return at once."""
    return subprocess.Popen(
        [PYTHON, *argv], cwd=ROOT, env=filedb_env(db_path, **(env or {})),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


class FiledbWatch:
    """Reads a started process's output as it comes (so its pipes never fill), line by line."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._threads = [
            threading.Thread(target=self._read, args=(process.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._read, args=(process.stderr, self.stderr), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.append(line)

    def wait_for_stdout(self, text: str, *, count: int = 1, timeout: float = 10) -> bool:
        """Whether `text` appeared in `count` lines of stdout within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(text in line for line in list(self.stdout)) >= count:
                return True
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        return sum(text in line for line in list(self.stdout)) >= count

    def finish(self, timeout: float = 10) -> int:
        """Wait for the process to exit and its output to be read; returns its exit code."""
        code = self.process.wait(timeout=timeout)
        for thread in self._threads:
            thread.join(timeout=5)
        return code


def filedb_query(db_path: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db_path, timeout=10) as connection:
        return connection.execute(sql, params).fetchall()


def filedb_count(db_path: Path, table: str, where: str = "1", params=()) -> int:
    return filedb_query(db_path, f"SELECT count(*) FROM {table} WHERE {where}", params)[0][0]


# What runs inside the subprocess ---------------------------------------------------------------


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_overdue(owners: int, milestones: int, planned: int = 0) -> None:
    """`owners` freelancers, each with `milestones` client-owed milestones due an hour or more ago
    on an active project: exactly one OVERDUE alert each (nothing else: client-owed work has no
    forecast, and the deadlines have passed, so no reminder). No quiet hours, so the real clock's
    time of day does not matter; emails go to the freelancers (freelancerN@example.com).

    The first `planned` freelancers' plans are computed now (their alerts wait for a scan); the
    others' are stale (the next scan recomputes them first)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from agreements.alerts.plan import plan_owner
    from agreements.models import AlertPolicy, Milestone
    from tests.factories import ProjectFactory, UserFactory

    now = timezone.now()
    with transaction.atomic():
        for i in range(owners):
            owner = UserFactory(email=f"freelancer{i}@example.com", first_name=f"F{i}")
            AlertPolicy.objects.create(owner=owner, quiet_start=None, quiet_end=None)
            project = ProjectFactory(owner=owner, start_date=(now - datetime.timedelta(days=30)).date())
            for j in range(milestones):
                Milestone.objects.create(
                    project=project, title=f"Artwork {i}-{j}", owed_by=Milestone.OwedBy.CLIENT,
                    due_at=now - datetime.timedelta(hours=1 + j),
                )
    for owner in get_user_model().objects.order_by("pk")[:planned]:
        plan_owner(owner=owner, now=now)


def add_overdue(email: str) -> None:
    """One more client-owed milestone, due an hour ago, on that freelancer's first project."""
    import datetime

    from django.utils import timezone

    from agreements.models import Milestone, Project

    project = Project.objects.filter(owner__email=email).order_by("pk").first()
    Milestone.objects.create(project=project, title="Added later", owed_by=Milestone.OwedBy.CLIENT,
                             due_at=timezone.now() - datetime.timedelta(hours=1))


def notify_committed(email: str) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from agreements.models import Notification
    from agreements.notifications import notify

    user = get_user_model().objects.get(email=email)
    with transaction.atomic():
        notify(recipient=user, kind=Notification.Kind.HELP_REQUESTED, text="Rahul asked for help",
               path="/", base_url=settings.VACHAN_SITE_URL, now=timezone.now())


def run_at(start_at: float, argv: list[str]) -> None:
    """A start barrier: Django is set up first, then every process begins the command together."""
    from django.core.management import call_command

    time.sleep(max(0.0, start_at - time.time()))
    call_command(*argv)


def main(argv: list[str]) -> None:
    _setup()
    match argv:
        case ["seed-overdue", owners, milestones, *planned]:
            seed_overdue(int(owners), int(milestones), *map(int, planned))
        case ["add-overdue", email]:
            add_overdue(email)
        case ["notify", email]:
            notify_committed(email)
        case ["at", start_at, *command]:
            run_at(float(start_at), command)
        case _:
            raise SystemExit(f"unknown arguments: {argv}")


if __name__ == "__main__":
    main(sys.argv[1:])
