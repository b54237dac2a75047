"""agreements/views/projects.py: project_list — every project, its total and next deadline."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agreements.models import ChangeRequest, Project
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    ClientFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
)

URL = reverse("agreements:project_list")

# Session, user, the page count, the page of projects (client and annotations joined), then one
# query each for milestones, change requests, scope items and their revisions.
LIST_QUERIES = 8


pytestmark = pytest.mark.usefixtures("frozen_now")


def rows(html):
    """{project title: its table row}"""
    return {
        re.search(r'<a href="/projects/\d+/">(.*?)</a>', row).group(1): row
        for row in re.findall(r"<tr>\s*<td><a href=\"/projects/.*?</tr>", html, flags=re.S)
    }


def listed(browser, **params):
    response = browser.get(URL, params)
    assert response.status_code == 200
    return rows(response.content.decode())


def furnished_project(owner, client, **fields):
    """A project with a bit of everything the list totals up."""
    project = ProjectFactory(owner=owner, client=client, **fields)
    item = ScopeItemFactory(project=project)
    for number, charge in [(1, 0), (2, 0), (3, 4000)]:
        RevisionRequestFactory(scope_item=item, round_number=number, charge=Decimal(charge))
    MilestoneFactory(project=project, due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=ZoneInfo(project.timezone)))
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED, price_delta=Decimal("12000"))
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.SUBMITTED, price_delta=Decimal("5000"))
    return project


@pytest.mark.parametrize("count", [1, 50])
def test_it_runs_the_same_number_of_queries_for_1_and_50_projects(
    alice_client, freelancer, client_company, count, django_assert_num_queries
):
    for _ in range(count):
        furnished_project(freelancer, client_company)

    with django_assert_num_queries(LIST_QUERIES):
        response = alice_client.get(URL)

    assert len(rows(response.content.decode())) == count


def test_it_shows_each_projects_current_total(alice_client, freelancer, client_company):
    furnished_project(freelancer, client_company, title="Diwali packaging", price=Decimal("1234567.50"))
    furnished_project(freelancer, client_company, title="Kathmandu menu", currency="NPR", price=Decimal("50000"),
                      timezone="Asia/Kathmandu")

    found = listed(alice_client)

    # price + approved change ₹12,000 + one billable round ₹4,000; the open change is not counted
    assert "₹12,50,567.50" in found["Diwali packaging"]
    assert "NPR66,000.00" in found["Kathmandu menu"]


def test_it_shows_the_next_open_deadline_in_the_projects_zone(alice_client, freelancer, client_company):
    nepal = ProjectFactory(owner=freelancer, client=client_company, title="Kathmandu menu", timezone="Asia/Kathmandu")
    kathmandu = ZoneInfo("Asia/Kathmandu")
    MilestoneFactory(project=nepal, due_at=datetime.datetime(2026, 11, 20, 9, 0, tzinfo=kathmandu), completed_at=NOW)
    MilestoneFactory(project=nepal, due_at=datetime.datetime(2026, 12, 1, 18, 0, tzinfo=kathmandu))
    MilestoneFactory(project=nepal, due_at=datetime.datetime(2026, 12, 24, 18, 0, tzinfo=kathmandu))
    late = ProjectFactory(owner=freelancer, client=client_company, title="Late brochure", timezone="America/New_York")
    MilestoneFactory(project=late, due_at=datetime.datetime(2026, 11, 22, 17, 0, tzinfo=ZoneInfo("America/New_York")))
    ProjectFactory(owner=freelancer, client=client_company, title="No dates yet")

    found = listed(alice_client)

    assert "2026-12-01 18:00" in found["Kathmandu menu"]
    assert "2026-11-20" not in found["Kathmandu menu"]
    assert "overdue" not in found["Kathmandu menu"]
    assert "2026-11-22 17:00" in found["Late brochure"]
    assert "overdue" in found["Late brochure"]
    assert "<td>—</td>" in found["No dates yet"]


def test_it_counts_open_change_requests(alice_client, freelancer, client_company):
    furnished_project(freelancer, client_company, title="Diwali packaging")

    row = listed(alice_client)["Diwali packaging"]

    assert re.findall(r"<td>(\d+)</td>", row) == ["1"]


def test_it_never_shows_bobs_projects(alice_client, freelancer, client_company, other_freelancer):
    furnished_project(freelancer, client_company, title="Diwali packaging")
    bobs_client = ClientFactory(owner=other_freelancer, name="Bob's Bakery")
    furnished_project(other_freelancer, bobs_client, title="Bob's wedding cards")

    response = alice_client.get(URL)

    assert list(rows(response.content.decode())) == ["Diwali packaging"]
    assert "wedding cards" not in response.content.decode()


def test_it_filters_by_status(alice_client, freelancer, client_company):
    ProjectFactory(owner=freelancer, client=client_company, title="Running", status=Project.Status.ACTIVE)
    ProjectFactory(owner=freelancer, client=client_company, title="Paused", status=Project.Status.ON_HOLD)
    ProjectFactory(owner=freelancer, client=client_company, title="Idea", status=Project.Status.DRAFT)

    assert list(listed(alice_client, status="on_hold")) == ["Paused"]
    assert list(listed(alice_client, status="draft")) == ["Idea"]
    assert sorted(listed(alice_client)) == ["Idea", "Paused", "Running"]
    assert sorted(listed(alice_client, status="nonsense")) == ["Idea", "Paused", "Running"]


def test_it_says_so_when_no_project_has_that_status(alice_client, freelancer, client_company):
    ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.ACTIVE)

    response = alice_client.get(URL, {"status": "completed"})

    assert "No projects here yet." in response.content.decode()
