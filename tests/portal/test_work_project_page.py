"""The portal's project list and project page, as priya (a contact of alice's client) sees them."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import ChangeRequest, Milestone, Project
from tests.factories import (
    ChangeRequestFactory,
    ClientFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
    StoredContractVersionFactory,
    StoredSummarySnapshotFactory,
)
from tests.html import flat

KOLKATA = ZoneInfo("Asia/Kolkata")


def by_id(html: str, element_id: str) -> str:
    """The text inside the element with this id (up to its first closing tag), words flattened."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no element #{element_id} on the page"
    return flat(re.sub(r"<[^>]+>", " ", match.group(1)))


def text_of(response) -> str:
    """The page's visible words, one space apart."""
    return flat(re.sub(r"<[^>]+>", " ", response.content.decode()))


def project_rows(html: str) -> list[str]:
    table = re.search(r'<table[^>]*id="portal-projects".*?<tbody>(.*?)</tbody>', html, re.S)
    if table is None:
        return []
    return [flat(re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)]


# --- portal:home ---------------------------------------------------------------------------------


def test_a_contact_sees_only_their_clients_projects_that_are_not_drafts(
    portal_as, freelancer, other_freelancer, client_company, project, contact
):
    ProjectFactory(owner=freelancer, client=client_company, title="Holi hampers", status=Project.Status.PROPOSED)
    ProjectFactory(owner=freelancer, client=client_company, title="Secret draft", status=Project.Status.DRAFT)
    other_client = ClientFactory(owner=freelancer, name="Konkan Spices")
    ProjectFactory(owner=freelancer, client=other_client, title="Spice labels")
    ProjectFactory(owner=other_freelancer, title="Bob's website")

    response = portal_as(contact).get(reverse("portal:home"))

    assert response.status_code == 200
    rows = project_rows(response.content.decode())
    titles = sorted(row.split(" Sahyadri Foods")[0] for row in rows)
    assert titles == ["Diwali packaging", "Holi hampers"]
    assert all("Sahyadri Foods" in row for row in rows)
    page = response.content.decode()
    for hidden in ("Secret draft", "Spice labels", "Bob&#x27;s website", "Konkan Spices"):
        assert hidden not in page


def test_a_draft_or_another_clients_project_answers_like_a_missing_page(
    portal_as, freelancer, client_company, contact, other_freelancer
):
    draft = ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.DRAFT)
    others = ProjectFactory(owner=other_freelancer)
    priya = portal_as(contact)

    assert priya.get(reverse("portal:project", args=[draft.pk])).status_code == 404
    assert priya.get(reverse("portal:project", args=[others.pk])).status_code == 404


def add_listed_project(freelancer, client_company, n):
    listed = ProjectFactory(owner=freelancer, client=client_company, title=f"Listed {n}")
    MilestoneFactory(project=listed)
    ChangeRequestFactory(project=listed, status=ChangeRequest.Status.SUBMITTED)
    return listed


def test_the_project_list_runs_the_same_number_of_queries_for_1_and_5_projects(
    portal_as, freelancer, client_company, contact, django_assert_num_queries
):
    add_listed_project(freelancer, client_company, 1)
    priya = portal_as(contact)
    priya.get(reverse("portal:home"))  # a first visit may set things up once
    with CaptureQueriesContext(connection) as one_project:
        response = priya.get(reverse("portal:home"))
    assert len(project_rows(response.content.decode())) == 1

    for n in range(2, 6):
        add_listed_project(freelancer, client_company, n)
    with django_assert_num_queries(len(one_project)):
        response = priya.get(reverse("portal:home"))

    assert len(project_rows(response.content.decode())) == 5


# --- portal:project ------------------------------------------------------------------------------


@pytest.fixture
def furnished(project, contact):
    """alice's project with one of everything the page shows."""
    gift_box = ScopeItemFactory(
        project=project, title="Gift box designs", quantity=Decimal("7"), unit="designs",
        exclusions="Printing and copywriting.",
    )
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    MilestoneFactory(
        project=project, title="Final artwork", owed_by=Milestone.OwedBy.FREELANCER,
        due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA),
    )
    MilestoneFactory(
        project=project, title="Product photos", owed_by=Milestone.OwedBy.CLIENT,
        due_at=datetime.datetime(2026, 11, 20, 18, 0, tzinfo=KOLKATA),
    )
    ChangeRequestFactory(
        project=project, number=1, requested_by=contact, description="Add a trade-fair flyer.",
        status=ChangeRequest.Status.QUOTED, price_delta=Decimal("12000"),
    )
    ChangeRequestFactory(
        project=project, number=2, requested_by=contact, description="Add a banner.",
        status=ChangeRequest.Status.SUBMITTED, price_delta=Decimal("0"),
    )
    StoredContractVersionFactory(project=project, number=1)
    StoredContractVersionFactory(project=project, number=2)
    StoredSummarySnapshotFactory(project=project, created_at=datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC))
    return project


def test_the_project_page_shows_status_scope_and_exclusions(portal_as, furnished, contact, frozen_now):
    response = portal_as(contact).get(reverse("portal:project", args=[furnished.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert by_id(html, "project-status") == "Active"
    text = text_of(response)
    assert "7 designs Gift box designs" in text
    assert "Printing and copywriting." in text
    assert "1 used of 2 included · 1 left" in text


def test_due_dates_are_shown_in_the_contacts_own_time_zone(portal_as, furnished, contact, frozen_now):
    contact.timezone = "America/New_York"
    contact.save()

    text = text_of(portal_as(contact).get(reverse("portal:project", args=[furnished.pk])))

    # 18:00 in Kolkata on 15 December is 07:30 the same morning in New York.
    assert "Times in America/New_York" in text
    assert "Due 2026-12-15 07:30" in text
    assert "2026-12-15 18:00" not in text


def test_without_a_zone_of_their_own_the_contact_sees_the_projects_zone(portal_as, furnished, contact, frozen_now):
    text = text_of(portal_as(contact).get(reverse("portal:project", args=[furnished.pk])))

    assert "Times in Asia/Kolkata" in text
    assert "Due 2026-12-15 18:00" in text


def milestone_item(html: str, title: str) -> str:
    match = re.search(rf"<li class=\"list-group-item[^\"]*\">\s*<strong>{title}</strong>.*?</li>", html, re.S)
    assert match, f"no milestone {title!r}"
    return flat(re.sub(r"<[^>]+>", " ", match.group(0)))


def test_what_the_client_owes_and_what_is_late_are_marked(portal_as, furnished, contact, frozen_now):
    html = portal_as(contact).get(reverse("portal:project", args=[furnished.pk])).content.decode()

    photos = milestone_item(html, "Product photos")  # owed by the client, due 20 Nov: 3 days ago
    artwork = milestone_item(html, "Final artwork")  # alice's, due in December
    assert "you owe this" in photos
    assert "late" in photos.split()
    assert "you owe this" not in artwork
    assert "late" not in artwork.split()
    assert "Alice delivers" in artwork


def test_change_requests_show_their_status_and_price(portal_as, furnished, contact, frozen_now):
    text = text_of(portal_as(contact).get(reverse("portal:project", args=[furnished.pk])))

    assert "CR-1 Add a trade-fair flyer. Quoted 2026-12-20 ₹12,000.00" in text
    assert "CR-2 Add a banner. Submitted 2026-12-20 being quoted" in text
    assert "Waiting for your decision: CR-1" in text


def test_contract_versions_and_summaries_are_listed_and_open(portal_as, furnished, contact, frozen_now):
    priya = portal_as(contact)
    html = priya.get(reverse("portal:project", args=[furnished.pk])).content.decode()

    version_2, version_1 = furnished.contract_versions.order_by("-number")
    docs = flat(re.sub(r"<[^>]+>", " ", re.search(r'id="docs-h".*?</section>', html, re.S).group(0)))
    assert "Contract version 2 current" in docs
    assert "Contract version 1 superseded" in docs
    assert "Summary of 2026-11-20 (PDF)" in docs
    assert reverse("portal:contract", args=[version_2.pk]) in html
    assert reverse("portal:contract", args=[version_1.pk]) in html
    snapshot = furnished.summary_snapshots.get()
    assert reverse("portal:summary_pdf", args=[snapshot.pk]) in html

    pdf = priya.get(reverse("portal:summary_pdf", args=[snapshot.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(snapshot.pdf)


def test_the_page_says_who_handles_requests_and_how_fast(portal_as, furnished, contact, frozen_now):
    html = portal_as(contact).get(reverse("portal:project", args=[furnished.pk])).content.decode()

    assert by_id(html, "who-handles") == (
        "Alice (alice@example.com) handles your requests and answers within 24 hours."
    )


def grow(project, contact, n):
    """One more of everything the project page lists."""
    item = ScopeItemFactory(project=project)
    RevisionRequestFactory(scope_item=item, round_number=1)
    milestone = MilestoneFactory(project=project)
    change = ChangeRequestFactory(project=project, requested_by=contact, status=ChangeRequest.Status.QUOTED)
    change.date_changes.create(milestone=milestone, new_due_at=milestone.due_at + datetime.timedelta(days=2))
    change.scope_additions.create(title="Flyer", quantity=1, unit="page")
    change.remove_scope_items.add(item)
    StoredContractVersionFactory(project=project, change_request=change)
    StoredSummarySnapshotFactory(project=project)


def test_the_project_page_runs_the_same_number_of_queries_however_much_it_lists(
    portal_as, project, contact, django_assert_num_queries
):
    grow(project, contact, 1)
    priya = portal_as(contact)
    url = reverse("portal:project", args=[project.pk])
    priya.get(url)  # first visit: the freelancer's profile is created once
    with CaptureQueriesContext(connection) as small:
        response = priya.get(url)
    assert response.content.decode().count("Ask for a revision<") == 1

    for n in range(2, 7):
        grow(project, contact, n)
    with django_assert_num_queries(len(small)):
        response = priya.get(url)

    assert response.content.decode().count("Ask for a revision<") == 6


def test_the_project_list_shows_the_next_deadline_in_the_contacts_zone(portal_as, project, contact):
    MilestoneFactory(project=project, due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA))
    contact.timezone = "America/New_York"
    contact.save()

    (row,) = project_rows(portal_as(contact).get(reverse("portal:home")).content.decode())

    assert "2026-12-15 07:30" in row
