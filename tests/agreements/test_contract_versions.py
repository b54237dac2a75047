"""agreements/contracts.py: contract_issue() numbers versions, refuses empty ones, and follows approved changes."""

import datetime
import hashlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements.changes import (
    ChangeRequestError,
    change_request_approve,
    change_request_decline,
)
from agreements.clauses import project_clauses
from agreements.contracts import ContractError, contract_issue
from agreements.models import ChangeRequest, ContractVersion, Milestone, Project, ProjectClause
from tests.factories import NOW, MilestoneFactory, ScopeItemFactory
from tests.html import flat
from tests.pdf import pdf_text

KOLKATA = ZoneInfo("Asia/Kolkata")
LATER = NOW + datetime.timedelta(days=3)





def test_versions_are_numbered_1_2_3_and_each_lists_what_changed(draft_project, freelancer):
    project = draft_project  # not yet agreed: versions are re-issued freely
    milestone = MilestoneFactory(project=project, title="Final artwork")
    first = contract_issue(project=project, issued_by=freelancer, now=NOW)
    ScopeItemFactory(project=project, title="Shelf wobbler", quantity=Decimal("3"), unit="designs")
    second = contract_issue(project=project, issued_by=freelancer, now=LATER)
    milestone.due_at = datetime.datetime(2026, 12, 22, 18, 0, tzinfo=KOLKATA)
    milestone.save()
    third = contract_issue(project=project, issued_by=freelancer, now=LATER)

    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert first.changes == []
    assert second.changes == [
        {
            "kind": "scope_added", "subject": "Shelf wobbler", "before": "",
            "after": "3 designs Shelf wobbler — not included: Copywriting.",
        }
    ]
    assert third.changes == [
        {"kind": "date", "subject": "Final artwork", "before": "2026-12-15 18:00", "after": "2026-12-22 18:00"}
    ]
    assert "Version 3 supersedes version 2" in flat(pdf_text(third.pdf))
    assert list(project.contract_versions.values_list("number", flat=True)) == [3, 2, 1]


def test_it_refuses_to_reissue_when_nothing_changed(draft_project, freelancer):
    project = draft_project  # not yet agreed: versions are re-issued freely
    contract_issue(project=project, issued_by=freelancer, now=NOW)

    with pytest.raises(ContractError) as refused:
        contract_issue(project=project, issued_by=freelancer, now=LATER)

    assert refused.value.code == "unchanged"
    assert "since version 1" in refused.value.messages[0]
    assert project.contract_versions.count() == 1


def test_once_the_client_agreed_only_an_approved_change_issues_the_next_version(project, freelancer):
    contract_issue(project=project, issued_by=freelancer, now=NOW)
    MilestoneFactory(project=project, title="Extra feedback round")

    with pytest.raises(ContractError) as refusal:
        contract_issue(project=project, issued_by=freelancer, now=LATER)

    assert refusal.value.code == "agreed"
    assert "approving one issues the next version" in refusal.value.messages[0]
    assert list(project.contract_versions.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize("status", [Project.Status.COMPLETED, Project.Status.CANCELLED])
def test_it_refuses_to_issue_for_a_closed_project(project, freelancer, status):
    project.status = status
    project.save()

    with pytest.raises(ContractError) as refused:
        contract_issue(project=project, issued_by=freelancer, now=NOW)

    assert refused.value.code == "closed"
    assert not project.contract_versions.exists()


def _reorder_clauses(project):
    last = project_clauses(project)[-1]
    ProjectClause.objects.filter(pk=last.pk).update(position=0)


def _switch_currency(project):
    project.currency = "USD"
    project.save()


def _hand_the_milestone_to_the_client(project):
    project.milestones.update(title="Photos from the client", owed_by=Milestone.OwedBy.CLIENT)


@pytest.mark.parametrize(
    ("edit", "listed_as"),
    [
        (_reorder_clauses, "clauses_reordered"),
        (_switch_currency, "currency"),
        (_hand_the_milestone_to_the_client, "milestone_changed"),
    ],
    ids=["clauses reordered", "currency", "milestone handed to the client and renamed"],
)
def test_it_issues_a_new_version_when_only_this_changed(draft_project, freelancer, edit, listed_as):
    project = draft_project  # not yet agreed: versions are re-issued freely
    """Each of these changes what the contract says, so version 2 must be possible."""
    MilestoneFactory(project=project, title="Photos")
    project_clauses(project)
    contract_issue(project=project, issued_by=freelancer, now=NOW)
    edit(project)

    second = contract_issue(project=project, issued_by=freelancer, now=LATER)

    assert second.number == 2
    assert listed_as in [change["kind"] for change in second.changes]


def test_it_issues_a_new_version_when_one_of_two_clauses_with_the_same_heading_is_reworded(draft_project, freelancer):
    project = draft_project  # not yet agreed: versions are re-issued freely
    """Fails today: _clause_changes() keys clauses by heading, so the first of two "Notes" is not compared."""
    first = project.clauses.create(position=1, title="Notes", body="Files are delivered as PDF.")
    project.clauses.create(position=2, title="Notes", body="Meetings are online.")
    contract_issue(project=project, issued_by=freelancer, now=NOW)
    ProjectClause.objects.filter(pk=first.pk).update(body="Files are delivered as PDF and as editable SVG.")

    second = contract_issue(project=project, issued_by=freelancer, now=LATER)

    assert second.number == 2
    assert "Files are delivered as PDF and as editable SVG." in flat(pdf_text(second.pdf))


def test_approving_a_change_issues_a_version_listing_each_value_before_and_after(
    quoted_change, approver, freelancer
):
    project = quoted_change.project
    contract_issue(project=project, issued_by=freelancer, now=NOW)

    change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=LATER)

    version = project.contract_versions.get(number=2)
    assert version.change_request == quoted_change
    assert version.issued_at == LATER
    assert version.issued_by == freelancer
    assert version.changes == [
        {"kind": "price", "subject": "", "before": "INR 185000.00", "after": "INR 197000.00"},
        {"kind": "date", "subject": "Final artwork", "before": "2026-12-15 18:00", "after": "2026-12-20 18:00"},
        {"kind": "scope_added", "subject": "Trade-fair flyer", "before": "", "after": "1 page Trade-fair flyer"},
        {
            "kind": "scope_removed", "subject": "Brand style guide",
            "before": "7 designs Brand style guide — not included: Copywriting.", "after": "",
        },
    ]
    text = flat(pdf_text(version.pdf))
    assert "Version 2 supersedes version 1" in text
    assert f"Changes approved in change request {quoted_change.reference} by Rahul." in text
    assert "Add a trade-fair flyer." in text
    assert "What changed Before After" in text
    assert "Price ₹1,85,000.00 ₹1,97,000.00" in text
    assert "Deadline: Final artwork 15 Dec 2026, 18:00 20 Dec 2026, 18:00" in text
    assert "Deliverable added — 1 page Trade-fair flyer" in text
    assert "Deliverable removed 7 designs Brand style guide —" in text
    assert "Everything not listed here is unchanged." in text
    # The body states the new agreement.
    assert "The price is ₹1,97,000.00 (INR)." in text
    assert "original price of ₹1,85,000.00 plus ₹12,000.00 of approved changes" in text
    assert "Final artwork 20 Dec 2026, 18:00 the freelancer" in text
    assert "1 page Trade-fair flyer" in text
    scope = text[text.index("2. Scope"):text.index("3. Price")]
    assert "Brand style guide" not in scope


def test_a_declined_change_issues_no_version(quoted_change, freelancer):
    change_request_decline(change_request=quoted_change, recorded_by=freelancer, now=LATER)

    assert not quoted_change.project.contract_versions.exists()


def test_an_approval_refused_for_a_negative_total_issues_no_version(quoted_change, approver, freelancer):
    ChangeRequest.objects.filter(pk=quoted_change.pk).update(price_delta=Decimal("-200000"))
    quoted_change.refresh_from_db()

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=LATER)

    assert refused.value.code == "negative_total"
    assert not ContractVersion.objects.exists()


def test_a_contract_that_cannot_be_rendered_leaves_the_change_unapproved(
    quoted_change, approver, freelancer, monkeypatch
):
    def broken_renderer(html):
        raise OSError("No space left on device")

    monkeypatch.setattr("agreements.contracts.render_pdf", broken_renderer)

    with pytest.raises(OSError):
        change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=LATER)

    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED
    assert quoted_change.applied_impact is None
    project = quoted_change.project
    assert project.milestones.get().due_at == datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    assert list(project.scope_items.current().values_list("title", flat=True)) == ["Brand style guide"]
    assert not ContractVersion.objects.exists()


def test_the_stored_html_and_pdf_hash_to_their_recorded_fingerprints(project, freelancer):
    issued = contract_issue(project=project, issued_by=freelancer, now=NOW)

    stored = ContractVersion.objects.get(pk=issued.pk)
    assert stored.sha256 == hashlib.sha256(stored.html.encode("utf-8")).hexdigest()
    assert stored.pdf_sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert bytes(stored.pdf).startswith(b"%PDF-")
    assert f"SHA-256 {stored.sha256}" in pdf_text(stored.pdf)
