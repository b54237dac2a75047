"""agreements/views/projects.py: project_detail — the whole agreement on one page."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements.models import ChangeRequest, Milestone
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
    StoredContractVersionFactory,
)

KOLKATA = ZoneInfo("Asia/Kolkata")

# The project page of any size: session, user, the owned project with its client,
# then milestones, change requests, their contacts, scope items, their revisions, and the
# contract versions (with the change request each was issued for).
DETAIL_QUERIES = 9


pytestmark = pytest.mark.usefixtures("frozen_now")


def page(browser, project):
    response = browser.get(project.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_scope_with_quantities_units_and_exclusions(alice_client, project):
    ScopeItemFactory(
        project=project, title="Packaging designs", quantity=Decimal("7"), unit="designs",
        exclusions="Not included: printing.",
    )
    ScopeItemFactory(project=project, title="Brochure", quantity=Decimal("2.5"), unit="pages", exclusions="")

    html = page(alice_client, project)

    assert "<strong>7 designs</strong> Packaging designs" in html
    assert "<strong>2.50 pages</strong> Brochure" in html
    assert "Not included: printing." in html


def at(month, day, hour, minute=0, zone=KOLKATA):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=zone)


def test_it_lists_open_deadlines_soonest_first_then_the_done_ones(alice_client, project):
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15, 18))
    MilestoneFactory(project=project, title="Kick-off call", due_at=at(11, 5, 11), completed_at=at(11, 5, 12))
    MilestoneFactory(project=project, title="Client feedback", due_at=at(11, 25, 18), owed_by=Milestone.OwedBy.CLIENT)
    MilestoneFactory(project=project, title="First concepts", due_at=at(11, 20, 18))

    html = page(alice_client, project)

    order = ["First concepts", "Client feedback", "Final files", "Kick-off call"]
    positions = [html.index(f"<strong>{title}</strong>") for title in order]
    assert positions == sorted(positions)
    assert "owed by client" in html


def milestone_items(html):
    return {
        re.search(r"<strong>(.*?)</strong>", li).group(1): li
        for li in re.findall(r'<li class="list-group-item.*?</li>', html, flags=re.S)
    }


@pytest.mark.parametrize(("zone", "shown_before", "shown_after"), [
    ("Asia/Kolkata", "2026-11-23 14:25", "2026-11-23 14:35"),
    ("Asia/Kathmandu", "2026-11-23 14:40", "2026-11-23 14:50"),
    ("America/New_York", "2026-11-23 03:55", "2026-11-23 04:05"),  # EST
])
def test_it_marks_only_open_deadlines_already_passed_as_overdue(
    alice_client, freelancer, client_company, zone, shown_before, shown_after
):
    project = ProjectFactory(owner=freelancer, client=client_company, timezone=zone)
    five = datetime.timedelta(minutes=5)
    MilestoneFactory(project=project, title="Passed 5 minutes ago", due_at=NOW - five)
    MilestoneFactory(project=project, title="Due in 5 minutes", due_at=NOW + five)
    MilestoneFactory(project=project, title="Done late", due_at=NOW - 100 * five, completed_at=NOW)

    items = milestone_items(page(alice_client, project))

    assert ">overdue<" in items["Passed 5 minutes ago"]
    assert shown_before in items["Passed 5 minutes ago"]
    assert ">overdue<" not in items["Due in 5 minutes"]
    assert shown_after in items["Due in 5 minutes"]
    assert ">overdue<" not in items["Done late"]


def test_it_shows_deadlines_in_the_projects_zone(alice_client, freelancer, client_company):
    nepal = ProjectFactory(owner=freelancer, client=client_company, timezone="Asia/Kathmandu")
    MilestoneFactory(project=nepal, title="Print-ready files", due_at=at(12, 1, 12, 15, datetime.UTC))

    html = page(alice_client, nepal)

    assert "2026-12-01 18:00" in html
    assert "times in Asia/Kathmandu" in html


def test_it_shows_revision_rounds_used_and_left_per_deliverable(alice_client, project):
    designs = ScopeItemFactory(project=project, title="Packaging designs")
    RevisionRequestFactory(scope_item=designs, round_number=1)
    brochure = ScopeItemFactory(project=project, title="Brochure")
    for number in (1, 2, 3):
        RevisionRequestFactory(scope_item=brochure, round_number=number, charge=Decimal("4000") if number == 3 else 0)

    html = page(alice_client, project)

    rows = {
        re.search(r"</strong> (.*?)<", row).group(1): row
        for row in re.findall(r"<tr>\s*<td><strong>.*?</tr>", html, flags=re.S)
    }
    assert "1 used of 2 free · 1 free left" in rows["Packaging designs"]
    assert "3 used of 2 free · 0 free left" in rows["Brochure"]
    assert "1 billable" in rows["Brochure"]
    assert "billable" not in rows["Packaging designs"]


def test_it_lists_change_requests_by_reference_with_their_status(alice_client, project):
    ChangeRequestFactory(project=project, number=1, description="Add a flyer.", status=ChangeRequest.Status.APPROVED,
                         price_delta=Decimal("12000"))
    ChangeRequestFactory(project=project, number=2, description="Move the launch.", status=ChangeRequest.Status.QUOTED)

    html = page(alice_client, project)

    rows = re.findall(r"<tr><td><a href=\"/changes/\d+/\">(CR-\d+)</a>.*?</tr>", html, flags=re.S)
    assert rows == ["CR-2", "CR-1"]
    cr1 = re.search(r">CR-1</a>.*?</tr>", html, flags=re.S).group()
    assert "Approved" in cr1 and "₹12,000.00" in cr1
    cr2 = re.search(r">CR-2</a>.*?</tr>", html, flags=re.S).group()
    assert "Quoted" in cr2


def test_it_shows_the_money_with_indian_grouping(alice_client, project):
    project.price = Decimal("1234567.50")
    project.save()

    html = page(alice_client, project)

    assert '<td class="amount" id="current-total">₹12,34,567.50</td>' in html


def test_the_current_total_adds_approved_changes_and_billable_rounds_only(alice_client, project):
    project.price = Decimal("1234567.50")
    project.save()
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED, price_delta=Decimal("12000"))
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.QUOTED, price_delta=Decimal("99000"))
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.DECLINED, price_delta=Decimal("55000"))
    item = ScopeItemFactory(project=project)
    for number, charge in [(1, 0), (2, 0), (3, 4000)]:
        RevisionRequestFactory(scope_item=item, round_number=number, charge=Decimal(charge))
    MilestoneFactory(project=project, amount=Decimal("250000"), paid_at=NOW)

    html = page(alice_client, project)

    assert '<td class="amount" id="current-total">₹12,50,567.50</td>' in html
    money = re.search(r'id="money-h".*?</table>', html, flags=re.S).group()
    assert "₹12,000.00" in money  # approved changes
    assert "₹4,000.00" in money  # extra revision rounds
    assert "₹10,00,567.50" in money  # outstanding after ₹2,50,000 paid


def test_it_shows_what_no_milestone_payment_covers_yet(alice_client, project):
    assert project.price == Decimal("100000")
    MilestoneFactory(project=project, title="Advance", amount=Decimal("30000"), paid_at=NOW)
    MilestoneFactory(project=project, title="Final artwork", amount=Decimal("20000"))

    html = page(alice_client, project)

    money = re.search(r'id="money-h".*?</section>', html, flags=re.S).group()
    assert "<li>Advance: ₹30,000.00 ✓ paid</li>" in money
    assert "<li>Final artwork: ₹20,000.00</li>" in money
    assert "<li>Not yet scheduled: ₹50,000.00</li>" in money


def test_it_renders_a_project_written_in_marathi(alice_client, freelancer, client_company, seed_text):
    lines = [line for line in seed_text("003").splitlines() if line.strip()]
    title, goal, deliverable, deadline = lines[0][:200], lines[1], lines[2][:200], lines[3][:200]
    marathi = ProjectFactory(owner=freelancer, client=client_company, title=title, goal=goal)
    ScopeItemFactory(project=marathi, title=deliverable, unit="रचना", exclusions="छपाई समाविष्ट नाही.")
    MilestoneFactory(project=marathi, title=deadline)

    html = page(alice_client, marathi)

    for text in (title, goal, deliverable, deadline, "रचना", "छपाई समाविष्ट नाही."):
        assert text.replace('"', "&quot;") in html


def test_it_is_not_found_for_bob(bob_client, project):
    assert bob_client.get(project.get_absolute_url()).status_code == 404


def fill(project, count):
    """`count` of everything the page lists, plus a removed deliverable and one added by a change."""
    for _ in range(count):
        item = ScopeItemFactory(project=project)
        RevisionRequestFactory(scope_item=item, round_number=1)
        RevisionRequestFactory(scope_item=item, round_number=2)
        MilestoneFactory(project=project)
        change = ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED)
        ScopeItemFactory(project=project, added_by=change)
        ScopeItemFactory(project=project, removed_by=change)
        StoredContractVersionFactory(project=project, change_request=change)


@pytest.mark.parametrize("count", [1, 20])
def test_it_runs_the_same_number_of_queries_however_big_the_project(
    alice_client, project, count, django_assert_num_queries
):
    fill(project, count)

    with django_assert_num_queries(DETAIL_QUERIES):
        html = page(alice_client, project)

    assert html.count(">Request a revision<") == 2 * count
    assert html.count("Removed by change requests:") == 1
    assert html.count("after CR-") == count
