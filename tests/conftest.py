"""Personas (STYLE.md §11) and the fixtures every test file shares.

alice is the freelancer under test; bob is another freelancer who must never see alice's things.
"""

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from agreements.changes import change_request_quote
from agreements.models import Project
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    ClientFactory,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    ScopeItemFactory,
    UserFactory,
)
from tests.portal.conftest import give_portal_access, portal_log_in

KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def frozen_now():
    """The clock stopped at NOW: 2026-11-23 09:00 UTC, a Monday (14:30 Kolkata, 14:45 Kathmandu)."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def freelancer(db):
    return UserFactory(email="alice@example.com", first_name="Alice")


@pytest.fixture
def other_freelancer(db):
    return UserFactory(email="bob@example.com", first_name="Bob")


@pytest.fixture
def client_company(freelancer):
    return ClientFactory(owner=freelancer, name="Sahyadri Foods")


@pytest.fixture
def contact(client_company):
    """A client contact who may not approve."""
    return ContactFactory(client=client_company, name="Priya", may_approve=False)


@pytest.fixture
def approver(client_company):
    """A client contact who may approve changes."""
    return ContactFactory(client=client_company, name="Rahul", may_approve=True)


@pytest.fixture
def project(freelancer, client_company):
    return ProjectFactory(owner=freelancer, client=client_company, title="Diwali packaging")


@pytest.fixture
def draft_project(project):
    """Alice's project before the client agreed: its terms are still editable."""
    project.status = Project.Status.DRAFT
    project.save()
    return project


@pytest.fixture
def alice_client(client, freelancer):
    """The test browser, logged in as alice."""
    client.force_login(freelancer)
    return client


@pytest.fixture
def bob_client(client, other_freelancer):
    client.force_login(other_freelancer)
    return client


@pytest.fixture
def portal_as(db):
    """portal_as(contact): a new test browser logged in to the portal as that contact."""

    def log_in(contact) -> Client:
        give_portal_access(contact)
        return portal_log_in(Client(), contact)

    return log_in


SEEDS = Path(__file__).parent / "fixtures" / "seeds"


@pytest.fixture
def seed_text():
    """Read a seed article (real Devanagari text) by its number: seed_text("003")."""

    def read(number: str) -> str:
        (path,) = SEEDS.glob(f"{number}_*.txt")
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def mojibake(seed_text):
    """The real mis-decoded line from seed 001 ("à¤•à¥?"): bad input people do paste."""
    return next(line for line in seed_text("001").splitlines() if "à¤" in line)


@pytest.fixture
def quoted_change(project):
    """alice's quoted CR with every kind of impact: price, a new date, a deliverable added and one removed."""
    project.price = Decimal("185000")
    project.save()
    milestone = MilestoneFactory(
        project=project, title="Final artwork", due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    )
    old_item = ScopeItemFactory(project=project, title="Brand style guide")
    change = ChangeRequestFactory(project=project, price_delta=Decimal("12000"), description="Add a trade-fair flyer.")
    change.date_changes.create(milestone=milestone, new_due_at=datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA))
    change.scope_additions.create(title="Trade-fair flyer", quantity=1, unit="page")
    change.remove_scope_items.add(old_item)
    change_request_quote(change_request=change, now=NOW)
    return change


@pytest.fixture
def child_processes():
    """Processes a test started (append them): killed at teardown if the test left them running."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
