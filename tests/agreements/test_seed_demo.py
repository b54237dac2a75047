"""manage.py seed_demo: a demo freelancer with three clients and five projects."""

import re

import pytest
from django.core.management import call_command

from agreements.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD
from agreements.models import ChangeRequest, Project
from clients.models import Client

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def seeded(db, capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_it_prints_credentials_that_work(seeded, client):
    assert DEMO_EMAIL in seeded and DEMO_PASSWORD in seeded
    login = client.post("/accounts/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert login.status_code == 302
    assert client.get("/projects/").status_code == 200


def test_it_prints_a_portal_login_that_works(seeded, client):
    assert DEMO_PORTAL_EMAIL in seeded and DEMO_PORTAL_PASSWORD in seeded
    login = client.post("/portal/login/", {"email": DEMO_PORTAL_EMAIL, "password": DEMO_PORTAL_PASSWORD})
    assert login.status_code == 302
    page = client.get("/portal/")
    assert page.status_code == 200
    assert "Sahyadri Foods" in page.content.decode()


def test_it_creates_three_clients_and_five_projects_in_different_states(seeded):
    assert Client.objects.count() == 3
    statuses = list(Project.objects.values_list("status", flat=True))
    assert len(statuses) == 5
    assert len(set(statuses)) == 5


def test_one_project_is_written_entirely_in_devanagari(seeded, seed_text):
    marathi = seed_text("003")
    project = next(p for p in Project.objects.all() if DEVANAGARI.search(p.title))
    texts = [project.title, project.goal, project.client.name]
    texts += [t for item in project.scope_items.all() for t in (item.title, item.unit, item.exclusions)]
    texts += [m.title for m in project.milestones.all()]

    assert all(DEVANAGARI.search(text) and not LATIN.search(text) for text in texts)
    assert project.title in marathi


def test_it_has_an_approved_change_and_billable_revisions(seeded, client):
    approved = ChangeRequest.objects.get(status=ChangeRequest.Status.APPROVED)
    # 185,000 + one extra revision round at 4,000, then + 12,000 approved.
    assert approved.applied_impact["total"] == {"before": "189000.00", "after": "201000.00"}
    client.post("/accounts/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    page = client.get(approved.project.get_absolute_url()).content.decode()
    assert "₹2,01,000.00" in page


def test_running_it_again_adds_nothing(seeded, capsys):
    call_command("seed_demo")

    assert "already present" in capsys.readouterr().out
    assert Project.objects.count() == 5


def test_the_agreed_project_has_its_contract_and_the_amendment_its_approved_change_issued(seeded):
    brand = Project.objects.get(status=Project.Status.ACTIVE)

    versions = list(brand.contract_versions.order_by("number"))

    assert [v.number for v in versions] == [1, 2]
    assert versions[1].change_request.status == ChangeRequest.Status.APPROVED
    assert {change["kind"] for change in versions[1].changes} >= {"price", "date", "scope_added"}
    assert brand.summary_good_news and brand.summary_concerns
    assert brand.summary_good_news == "All seven first drafts were delivered on time and paid."
    assert brand.summary_concerns.startswith("We are waiting for feedback on the drafts")
