"""The load test (README "Load test"): the health check, the seeded data, the pages' query counts
at two data sizes, and `benchmark_load` run for real, small, against Gunicorn with locust."""

import datetime
import io
import re
import socket
from decimal import Decimal
from urllib.parse import quote

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.load.data import PASSWORD, load_seed, load_sizes
from agreements.models import Milestone, Project, ScopeItem, SummarySnapshot
from tests.config.test_security_headers import production  # noqa: F401 (a fixture)
from tests.factories import ChangeRequestFactory, ProjectFactory, StoredSummarySnapshotFactory
from tests.portal.conftest import portal_log_in

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


# The health check -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_health_check_answers_ok_without_a_login_and_is_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1: the database answers too
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_load_balancer_may_poll_the_health_check_over_plain_http_while_pages_redirect(
    client, production,  # noqa: F811
):
    assert client.get("/healthz").status_code == 200
    redirect = client.get("/accounts/login/")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")


# The seeded data and the pages' query counts ----------------------------------------------------


@pytest.fixture
def seeded(db):
    return load_seed(now=NOW, scale=0.02)


def test_the_seed_makes_what_the_load_test_opens(seeded):
    owner = get_user_model().objects.get(email=seeded.freelancer_email)

    assert (seeded.clients, seeded.projects, seeded.milestones) == (1, 5, 100)
    assert Project.objects.filter(owner=owner, status=Project.Status.ACTIVE).count() == 3
    project = Project.objects.get(pk=seeded.project_id)
    assert project.owner == owner and project.status == Project.Status.ACTIVE
    assert project.contract_versions.count() == 1
    assert SummarySnapshot.objects.get(pk=seeded.snapshot_id).pdf.startswith(b"%PDF-")
    done = project.milestones.exclude(completed_at=None)
    assert done.exists() and all(m.due_at < NOW for m in done)
    assert project.milestones.filter(completed_at=None, due_at__lt=NOW).count() == 1  # overdue
    assert owner.check_password(PASSWORD)


def test_the_seed_at_full_scale_is_the_issues_size(seeded):
    from agreements.load import data

    assert data.FREELANCERS * data.CLIENTS_EACH == 200
    assert data.FREELANCERS * data.CLIENTS_EACH * data.PROJECTS_EACH == 1_000
    assert data.FREELANCERS * data.CLIENTS_EACH * data.PROJECTS_EACH * data.MILESTONES_EACH == 100_000
    # What load_seed builds from (the small run above has exactly its sizes at 0.02).
    full = load_sizes(1.0)
    assert (full.clients, full.projects, full.milestones) == (200, 1_000, 100_000)
    small = load_sizes(0.02)
    assert (small.clients, small.projects, small.milestones) == (seeded.clients, seeded.projects, seeded.milestones)


def grow(seeded, times: int) -> None:
    """More of everything the pages read: milestones, deliverables, changes, projects, copies."""
    project = Project.objects.get(pk=seeded.project_id)
    first = Milestone.objects.count()
    Milestone.objects.bulk_create([
        Milestone(project=project, title=f"More {first + n}", due_at=NOW + datetime.timedelta(days=n),
                  estimated_hours=Decimal(3), amount=Decimal(100))
        for n in range(1, 10 * times + 1)
    ])
    ScopeItem.objects.bulk_create([
        ScopeItem(project=project, title=f"Extra {first + n}", position=first + n) for n in range(times)
    ])
    for _ in range(times):
        ChangeRequestFactory(project=project, requested_by=project.client.contacts.get())
        StoredSummarySnapshotFactory(project=project)
    for n in range(times):
        other = ProjectFactory(owner=project.owner, client=project.client, status=Project.Status.ACTIVE)
        Milestone.objects.bulk_create([
            Milestone(project=other, title=f"Other {n}.{i}", due_at=NOW + datetime.timedelta(days=i, hours=n),
                      estimated_hours=Decimal(2), amount=Decimal(0))
            for i in range(-3, 30)
        ])


def test_no_load_tested_page_runs_more_queries_with_more_data(seeded, time_machine):
    time_machine.move_to(NOW)
    freelancer = Client()
    freelancer.force_login(get_user_model().objects.get(email=seeded.freelancer_email))
    contact = portal_log_in(Client(), Project.objects.get(pk=seeded.project_id).client.contacts.get(), PASSWORD)
    pages = {
        "dashboard": (freelancer, "/"),
        "project page": (freelancer, f"/projects/{seeded.project_id}/"),
        "summary PDF": (freelancer, f"/summaries/{seeded.snapshot_id}/pdf/"),
        "portal project page": (contact, f"/portal/projects/{seeded.project_id}/"),
        "portal summary PDF": (contact, f"/portal/summaries/{seeded.snapshot_id}/pdf/"),
    }

    def counts() -> dict[str, int]:
        found = {}
        for name, (browser, url) in pages.items():
            browser.get(url)  # first visits create what they create once (a profile)
            with CaptureQueriesContext(connection) as queries:
                assert browser.get(url).status_code == 200, name
            found[name] = len(queries)
        return found

    grow(seeded, 1)  # one of each kind (an empty prefetch runs no query)
    small = counts()
    grow(seeded, 8)
    assert Milestone.objects.count() > 4 * seeded.milestones

    assert counts() == small


# benchmark_load, for real -------------------------------------------------------------------------


@pytest.fixture
def load_database():
    """SQLite: none (the command makes its own file). PostgreSQL: an empty database on the same server."""
    if connection.vendor != "postgresql":
        yield ""
        return
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    name = f"vachan_load_{id(params) % 100_000}"
    params.pop("dbname", None)
    admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user, host, port = params.get("user", ""), params.get("host", ""), params.get("port", "")
        password = params.get("password", "")
        host = quote(host or "localhost", safe="")  # bin/test's server listens on a socket directory
        yield f"postgres://{quote(user)}:{quote(password)}@{host}:{port or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.subprocesses
def test_the_load_test_stops_by_itself_and_reports_every_page_beside_the_health_check_with_no_errors(
    tmp_path, load_database,
):
    out = io.StringIO()
    call_command("benchmark_load", scale=0.02, users=2, seconds=4, workdir=tmp_path, database_url=load_database,
                 stdout=out)
    report = out.getvalue()

    assert "Seeded 1 clients, 5 projects and 100 milestones" in report
    assert ("PostgreSQL" if load_database else "SQLite") in report
    under_load = report[:report.index("Pages one at a time")]
    lines = {line.split("  ")[1].strip(): line for line in under_load.splitlines() if re.match(r"^  \S", line)}
    for page in ["health check", "dashboard", "project page", "portal project page", "summary PDF"]:
        requests, errors = re.search(r"^\s+\D+?\s+(\d+)\s.*\s(\d+)$", lines[page]).groups()
        assert int(requests) > 0 and int(errors) == 0, lines[page]
    assert re.search(r"Target: each page's p95 within 20× the health check's: (within|OVER)", report)
    assert report.rstrip().endswith("Errors: 0.")
    one_at_a_time = report[report.index("Pages one at a time"):]
    for page in ["login page", "dashboard", "project page", "portal project page", "summary PDF"]:
        assert re.search(rf"^  {page} +\d+\.\d ms +\d+\.\d× +\d+$", one_at_a_time, re.MULTILINE), page
    # Gunicorn was stopped: nothing listens on its port any more.
    port = re.search(r"^PORT=(\d+)$", (tmp_path / "env").read_text(), re.MULTILINE).group(1)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(port))) != 0
