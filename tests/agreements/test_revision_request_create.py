"""agreements/revisions.py: rounds are counted per deliverable and priced before they are taken."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import ChangeRequest, Project
from agreements.revisions import (
    REVISION_ON_REMOVED_ITEM,
    revision_quote,
    revision_request_create,
)
from tests.factories import NOW, ChangeRequestFactory, ScopeItemFactory


@pytest.fixture
def item(project):
    return ScopeItemFactory(project=project, title="Packaging designs")


def test_it_counts_rounds_per_deliverable(item, project):
    other = ScopeItemFactory(project=project)
    rounds = [revision_request_create(scope_item=item, description="x", now=NOW).round_number for _ in range(3)]
    elsewhere = revision_request_create(scope_item=other, description="x", now=NOW)

    assert rounds == [1, 2, 3]
    assert elsewhere.round_number == 1


def test_it_charges_only_rounds_beyond_the_free_ones(item):
    charges = [revision_request_create(scope_item=item, description="x", now=NOW).charge for _ in range(4)]

    assert charges == [0, 0, Decimal("4000"), Decimal("4000")]


def test_it_says_what_the_next_round_costs_before_it_is_taken(item):
    assert revision_quote(scope_item=item).describe("en") == "Round 1 of 2 free — no charge."
    for _ in range(2):
        revision_request_create(scope_item=item, description="x", now=NOW)

    assert revision_quote(scope_item=item).describe("en") == "Round 3 — costs ₹4,000.00 (2 free rounds are included)."


def test_it_charges_hourly_rounds_as_hours_times_rate_rounded_to_paise(project, item):
    project.revision_charge = Project.RevisionCharge.HOURLY
    project.hourly_rate = Decimal("1333.33")
    project.extra_round_hours = Decimal("1.5")
    project.free_revision_rounds = 0
    project.save()

    revision = revision_request_create(scope_item=item, description="x", now=NOW)

    assert revision.charge == Decimal("2000.00")  # 1999.995 rounds half up


def test_it_keeps_the_quoted_charge_when_the_policy_changes_later(project, item):
    for _ in range(3):
        revision_request_create(scope_item=item, description="x", now=NOW)
    project.extra_round_fee = Decimal("9000")
    project.save()

    assert item.revisions.get(round_number=3).charge == Decimal("4000")


def test_it_refuses_a_round_on_a_removed_deliverable(project, item):
    item.removed_by = ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED)
    item.save()

    with pytest.raises(ValidationError) as refused:
        revision_request_create(scope_item=item, description="x", now=NOW)

    assert refused.value.message == REVISION_ON_REMOVED_ITEM
    assert not item.revisions.exists()
