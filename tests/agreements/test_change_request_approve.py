"""agreements/changes.py: change_request_approve applies the whole impact, or nothing."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.changes import (
    APPROVER_NOT_ALLOWED,
    APPROVER_OTHER_CLIENT,
    STALE_MILESTONE,
    ChangeRequestError,
    change_request_approve,
    change_request_preview,
)
from agreements.models import ChangeRequest, ScopeItem
from agreements.money import project_totals
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    ContactFactory,
    MilestoneFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
)

KOLKATA = ZoneInfo("Asia/Kolkata")




def test_it_applies_price_dates_and_scope_and_records_before_and_after(quoted_change, approver, freelancer):
    project = quoted_change.project

    change_request_approve(
        change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW, note="Email of 3 Dec"
    )

    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.APPROVED
    assert quoted_change.approved_by == approver
    assert quoted_change.decided_at == NOW
    assert project_totals(project=project).current_total == Decimal("197000")
    milestone = project.milestones.get()
    assert milestone.due_at == datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA)
    assert list(project.scope_items.current().values_list("title", flat=True)) == ["Trade-fair flyer"]
    impact = quoted_change.applied_impact
    assert impact["total"] == {"before": "185000.00", "after": "197000.00"}
    assert impact["milestones"] == [{
        "milestone": milestone.pk, "title": "Final artwork",
        "before": "2026-12-15T18:00:00+05:30", "after": "2026-12-20T18:00:00+05:30",
    }]
    assert [s["title"] for s in impact["scope_added"]] == ["Trade-fair flyer"]
    assert [s["title"] for s in impact["scope_removed"]] == ["Brand style guide"]


def test_it_applies_nothing_when_one_part_cannot_be_applied(quoted_change, approver, freelancer):
    project = quoted_change.project
    # Someone removed the deliverable meanwhile (e.g. another approved request).
    other = ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED)
    ScopeItem.objects.filter(title="Brand style guide").update(removed_by=other)

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW)

    assert refused.value.code == "stale"
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED
    assert quoted_change.applied_impact is None
    assert project.milestones.get().due_at == datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    assert not project.scope_items.filter(title="Trade-fair flyer").exists()
    assert project_totals(project=project).current_total == Decimal("185000")


def test_it_refuses_a_new_date_before_the_project_start_and_applies_nothing(quoted_change, approver, freelancer):
    project = quoted_change.project
    quoted_change.date_changes.update(new_due_at=datetime.datetime(2026, 10, 1, 12, 0, tzinfo=KOLKATA))

    with pytest.raises(ValidationError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW)

    assert "before the project starts" in str(refused.value)
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED
    assert project.scope_items.current().count() == 1


def test_it_refuses_a_contact_who_may_not_approve(quoted_change, contact, freelancer):
    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=contact, recorded_by=freelancer, now=NOW)

    assert refused.value.message == APPROVER_NOT_ALLOWED
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED


def test_it_refuses_a_contact_of_another_client(quoted_change, freelancer):
    stranger = ContactFactory(may_approve=True)

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=stranger, recorded_by=freelancer, now=NOW)

    assert refused.value.message == APPROVER_OTHER_CLIENT


def test_it_refuses_to_approve_a_request_that_was_not_quoted(project, approver, freelancer):
    change = ChangeRequestFactory(project=project, price_delta=Decimal("100"))

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=change, approved_by=approver, recorded_by=freelancer, now=NOW)

    assert refused.value.code == "transition"
    assert project_totals(project=project).approved_changes == 0


def test_it_approves_only_once(quoted_change, approver, freelancer):
    stale_copy = ChangeRequest.objects.get(pk=quoted_change.pk)
    change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW)

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=stale_copy, approved_by=approver, recorded_by=freelancer, now=NOW)

    assert refused.value.code == "transition"

    project = quoted_change.project
    assert project.scope_items.filter(title="Trade-fair flyer").count() == 1
    assert project_totals(project=project).approved_changes == Decimal("12000")


def test_it_refuses_a_new_date_for_another_projects_milestone(quoted_change, approver, freelancer):
    elsewhere = MilestoneFactory()  # e.g. a row edited by hand or a bad import
    due = elsewhere.due_at
    quoted_change.date_changes.update(milestone=elsewhere)

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW)

    assert refused.value.message == STALE_MILESTONE
    elsewhere.refresh_from_db()
    assert elsewhere.due_at == due
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED


def test_it_refuses_to_remove_another_projects_deliverable(quoted_change, approver, freelancer):
    elsewhere = ScopeItemFactory(title="Someone else's logo")  # another project's deliverable
    quoted_change.remove_scope_items.add(elsewhere)
    total = project_totals(project=quoted_change.project).current_total

    with pytest.raises(ChangeRequestError) as refused:
        change_request_approve(change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW)

    assert refused.value.code == "stale"
    elsewhere.refresh_from_db()
    assert elsewhere.removed_by is None
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED
    assert quoted_change.applied_impact is None
    assert project_totals(project=quoted_change.project).current_total == total


def test_the_preview_reads_each_kind_of_row_once_however_many_deliverables_there_are(project):
    """Approval and a portal decision price the change from a project loaded without prefetches."""
    change = ChangeRequestFactory(project=project, price_delta=Decimal("12000"))

    def deliverable_with_a_charged_round():
        RevisionRequestFactory(scope_item=ScopeItemFactory(project=project), charge=Decimal("4000"))

    def preview():
        return change_request_preview(change_request=ChangeRequest.objects.select_related("project").get(pk=change.pk))

    deliverable_with_a_charged_round()
    with CaptureQueriesContext(connection) as one:
        assert preview().totals.extra_revisions == Decimal("4000")
    for _ in range(5):
        deliverable_with_a_charged_round()

    with CaptureQueriesContext(connection) as six:
        shown = preview()

    assert len(six) == len(one)
    assert shown.totals.extra_revisions == Decimal("24000")
    assert shown.total_if_approved == project_totals(project=project).current_total + Decimal("12000")
