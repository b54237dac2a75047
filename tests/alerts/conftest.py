"""Fixtures shared by the alert tests. Append new fixtures; keep each helper's own prefix.

smtp_*    a real SMTP server (aiosmtpd) on loopback, and the default mailer pointed at it
filedb_*  a migrated SQLite file for tests that start manage.py in other processes (filedb.py)
"""

import email
import email.policy
import shutil
import socket
import time

import pytest
from aiosmtpd.controller import Controller

from tests.alerts.filedb import filedb_manage


def smtp_free_port_number() -> int:
    """A loopback port nothing listens on (aiosmtpd cannot be given port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpRecorder:
    """An aiosmtpd handler: keeps every message it accepted, and answers as the test tells it.

    `rcpt_answers[address]` and `data_answers` are queues of answers such as "451 4.3.0 Try
    later", used up one per attempt; when empty, the server accepts.
    """

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.rcpt_seen: list[str] = []
        self.rcpt_answers: dict[str, list[str]] = {}
        self.data_answers: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_seen.append(address)
        if answers := self.rcpt_answers.get(address.lower()):
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_answers:
            return self.data_answers.pop(0)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on 127.0.0.1:`port`, started and stopped by the test."""

    def __init__(self, port: int):
        self.port = port
        self.handler = SmtpRecorder()
        self.controller = None
        self.options = {}  # more aiosmtpd SMTP options, e.g. an authenticator (set before start())

    @property
    def messages(self):
        return self.handler.messages

    def start(self) -> "SmtpServer":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=5,
                                     **self.options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def env(self) -> dict:
        """The settings' SMTP_* variables for a subprocess that should send here."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), "SMTP_USE_TLS": "false",
                "SMTP_TIMEOUT": "5"}

    def wait_for(self, count: int, timeout: float = 10) -> list:
        """The messages, once at least `count` arrived (a subprocess sends them)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_server_down():
    """A server not started yet (the mail server is down); `.start()` brings it up."""
    server = SmtpServer(smtp_free_port_number())
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_server_down):
    """A real SMTP server on loopback, up."""
    return smtp_server_down.start()


@pytest.fixture
def smtp_mailer(settings, smtp_server_down):
    """The default mailer (Django 6.1 MAILERS) sends over SMTP to `smtp_server_down`'s port, as
    config/settings.py configures it from SMTP_HOST/SMTP_PORT. Returns that server (not started:
    start it, or use `smtp_server` too)."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server_down.port, "use_tls": False, "timeout": 5},
        }
    }
    return smtp_server_down


@pytest.fixture(scope="session")
def filedb_template(tmp_path_factory):
    """One migrated SQLite file per test process, copied by `filedb_path`."""
    path = tmp_path_factory.mktemp("filedb") / "template.sqlite3"
    done = filedb_manage(path, "migrate", "--no-input", "-v0", timeout=120)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def filedb_path(filedb_template, tmp_path):
    """A fresh, migrated SQLite database file (WAL, IMMEDIATE: config/settings.py) for this test."""
    path = tmp_path / "vachan.sqlite3"
    shutil.copyfile(filedb_template, path)
    return path


