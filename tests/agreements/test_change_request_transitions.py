"""agreements/changes.py: submitted → quoted → approved / declined / withdrawn, nothing else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.changes import (
    NOTHING_TO_QUOTE,
    PROJECT_CLOSED,
    ChangeRequestError,
    change_request_approve,
    change_request_create,
    change_request_decline,
    change_request_quote,
    change_request_reopen,
    change_request_withdraw,
)
from agreements.models import ChangeRequest, Project
from agreements.money import project_totals
from agreements.projects import project_transition
from tests.factories import NOW, ChangeRequestFactory, ProjectFactory

Status = ChangeRequest.Status


@pytest.fixture
def change(project):
    return ChangeRequestFactory(project=project, price_delta=Decimal("5000"))


def test_it_numbers_requests_per_project(project, contact, freelancer):
    fields = dict(requested_by=contact, description="More", needed_by=NOW.date())
    first = change_request_create(project=project, now=NOW, **fields)
    second = change_request_create(project=project, now=NOW, **fields)
    other_project = ProjectFactory(owner=freelancer, client=project.client)
    elsewhere = change_request_create(project=other_project, now=NOW, **fields)

    assert [first.reference, second.reference, elsewhere.reference] == ["CR-1", "CR-2", "CR-1"]


def test_it_requires_a_written_description(project, contact):
    with pytest.raises(ValidationError) as refused:
        change_request_create(project=project, now=NOW, requested_by=contact, description="", needed_by=NOW.date())

    assert "description" in refused.value.message_dict
    assert not project.change_requests.exists()


def test_it_quotes_and_records_when(change):
    change_request_quote(change_request=change, now=NOW)

    assert change.status == Status.QUOTED
    assert change.quoted_at == NOW


def test_it_refuses_to_quote_a_request_without_any_impact(project):
    change = ChangeRequestFactory(project=project, price_delta=Decimal("0"))

    with pytest.raises(ChangeRequestError) as refused:
        change_request_quote(change_request=change, now=NOW)

    assert refused.value.message == NOTHING_TO_QUOTE
    change.refresh_from_db()
    assert change.status == Status.SUBMITTED


def test_a_negative_price_change_is_a_valid_impact(project):
    change = ChangeRequestFactory(project=project, price_delta=Decimal("-2500"))

    change_request_quote(change_request=change, now=NOW)

    assert change.status == Status.QUOTED


def test_it_reopens_a_quote_for_editing(change):
    change_request_quote(change_request=change, now=NOW)

    change_request_reopen(change_request=change)

    assert change.status == Status.SUBMITTED
    assert change.quoted_at is None
    assert change.impact_editable


@pytest.mark.parametrize(
    ("decide", "final"), [(change_request_decline, Status.DECLINED), (change_request_withdraw, Status.WITHDRAWN)]
)
@pytest.mark.parametrize("quoted", [False, True])
def test_it_declines_or_withdraws_an_open_request(change, freelancer, decide, final, quoted):
    if quoted:
        change_request_quote(change_request=change, now=NOW)

    decide(change_request=change, recorded_by=freelancer, now=NOW, note="Client changed their mind")

    assert change.status == final
    change.refresh_from_db()
    assert change.status == final
    assert change.decided_at == NOW
    assert change.decision_note == "Client changed their mind"


@pytest.mark.parametrize("final", [Status.APPROVED, Status.DECLINED, Status.WITHDRAWN])
def test_a_decided_request_never_moves_again(project, freelancer, approver, final):
    change = ChangeRequestFactory(project=project, price_delta=Decimal("5000"), status=final)

    for act in (
        lambda: change_request_quote(change_request=change, now=NOW),
        lambda: change_request_reopen(change_request=change),
        lambda: change_request_decline(change_request=change, recorded_by=freelancer, now=NOW),
        lambda: change_request_withdraw(change_request=change, recorded_by=freelancer, now=NOW),
        lambda: change_request_approve(change_request=change, approved_by=approver, recorded_by=freelancer, now=NOW),
    ):
        with pytest.raises(ChangeRequestError) as refused:
            act()
        assert refused.value.code == "transition"
        change.refresh_from_db()
        assert change.status == final


def test_a_submitted_request_cannot_be_reopened(change):
    with pytest.raises(ChangeRequestError) as refused:
        change_request_reopen(change_request=change)

    assert refused.value.messages == ["Not possible while the change request is “Submitted”."]


@pytest.mark.parametrize("closed", [Project.Status.COMPLETED, Project.Status.CANCELLED])
def test_a_closed_projects_agreement_takes_no_new_quoted_or_approved_change(
    quoted_change, contact, approver, freelancer, closed
):
    project = quoted_change.project
    submitted = ChangeRequestFactory(project=project, price_delta=Decimal("5000"))
    total = project_totals(project=project).current_total
    project_transition(project=Project.objects.get(pk=project.pk), to=closed)
    # Loaded afresh, as a page would: the requests' project is the closed one.
    project = Project.objects.get(pk=project.pk)
    quoted_change = ChangeRequest.objects.select_related("project").get(pk=quoted_change.pk)
    submitted = ChangeRequest.objects.select_related("project").get(pk=submitted.pk)
    assert project.status == closed

    for act in (
        lambda: change_request_create(
            project=project, now=NOW, requested_by=contact, description="One more flyer", needed_by=NOW.date()
        ),
        lambda: change_request_quote(change_request=submitted, now=NOW),
        lambda: change_request_approve(
            change_request=quoted_change, approved_by=approver, recorded_by=freelancer, now=NOW
        ),
    ):
        with pytest.raises(ChangeRequestError) as refused:
            act()
        assert refused.value.code == "project_closed"
        assert refused.value.message == PROJECT_CLOSED

    assert project.change_requests.count() == 2
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    quoted_change.refresh_from_db()
    assert quoted_change.status == Status.QUOTED
    assert quoted_change.applied_impact is None
    assert project_totals(project=project).current_total == total
