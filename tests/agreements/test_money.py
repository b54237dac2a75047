"""agreements/money.py: the one function that says what a project is worth."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from agreements.changes import (
    ChangeRequestError,
    change_request_approve,
    change_request_decline,
    change_request_quote,
    change_request_withdraw,
)
from agreements.models import Project
from agreements.models.fields import MoneyField
from agreements.money import format_money, project_totals, round_money
from agreements.revisions import revision_request_create
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    ScopeItemFactory,
)

amounts = st.decimals(min_value=Decimal("-500000"), max_value=Decimal("500000"), places=2)
# A request with no impact at all cannot be quoted (test_change_request_quote.py).
nonzero_amounts = amounts.filter(lambda d: d != 0)


def test_it_formats_rupees_with_indian_grouping_in_english_and_hindi():
    assert format_money(Decimal("1234567.50"), "INR", "en") == "₹12,34,567.50"
    assert format_money(Decimal("1234567.50"), "INR", "hi") == "₹12,34,567.50"


def test_it_formats_rupees_with_indian_grouping_in_marathi_too():
    # Babel's mr_IN groups the western way; Marathi users expect lakhs and crores.
    assert format_money(Decimal("1234567.50"), "INR", "mr") == "₹12,34,567.50"


def test_it_formats_currencies_by_their_own_minor_unit():
    assert format_money(Decimal("1500"), "JPY", "en").endswith("1,500")
    assert format_money(Decimal("1500"), "JPY", "en") == "JP¥1,500"
    assert "12,34,567.50" in format_money(Decimal("1234567.5"), "NPR", "ne")
    assert format_money(Decimal("1234567.5"), "NPR", "ne") == "नेरू\xa012,34,567.50"


def test_it_rounds_half_up_to_the_minor_unit():
    assert round_money(Decimal("10.005"), "INR") == Decimal("10.01")
    assert round_money(Decimal("10.004"), "INR") == Decimal("10.00")
    assert round_money(Decimal("10.5"), "JPY") == Decimal("11")
    assert round_money(Decimal("1.0005"), "KWD") == Decimal("1.001")


@pytest.mark.django_db
def test_it_adds_base_approved_changes_and_billable_revisions(project, approver):
    project.price = Decimal("100000")
    project.save()
    item = ScopeItemFactory(project=project)
    for _ in range(3):  # two free rounds, the third costs 4000
        revision_request_create(scope_item=item, description="again", now=NOW)
    change = ChangeRequestFactory(project=project, price_delta=Decimal("12000.50"))
    change_request_quote(change_request=change, now=NOW)
    change_request_approve(change_request=change, approved_by=approver, recorded_by=project.owner, now=NOW)
    ChangeRequestFactory(project=project, price_delta=Decimal("999"))  # still only submitted

    totals = project_totals(project=project)

    assert totals.base == Decimal("100000")
    assert totals.approved_changes == Decimal("12000.50")
    assert totals.extra_revisions == Decimal("4000")
    assert totals.current_total == Decimal("116000.50")


@pytest.mark.django_db
def test_it_prices_hourly_projects_from_milestone_hours_rounded_per_line(freelancer):
    project = ProjectFactory(owner=freelancer, pricing=Project.Pricing.HOURLY, hourly_rate=Decimal("333.33"), price=0)
    MilestoneFactory(project=project, estimated_hours=Decimal("1.5"))  # 499.995 → 500.00
    MilestoneFactory(project=project, estimated_hours=Decimal("2"))  # 666.66

    assert project_totals(project=project).base == Decimal("1166.66")


@pytest.mark.django_db
def test_it_prices_per_milestone_projects_as_the_sum_of_milestone_payments(freelancer):
    project = ProjectFactory(owner=freelancer, pricing=Project.Pricing.PER_MILESTONE, price=0)
    MilestoneFactory(project=project, amount=Decimal("9000"), paid_at=NOW)
    MilestoneFactory(project=project, amount=Decimal("6000"))

    totals = project_totals(project=project)

    assert totals.base == Decimal("15000")
    assert totals.paid == Decimal("9000")
    assert totals.outstanding == Decimal("6000")
    assert totals.unscheduled == Decimal("0")


@pytest.mark.django_db
def test_the_part_of_a_fixed_price_no_milestone_payment_covers_is_unscheduled(freelancer):
    project = ProjectFactory(owner=freelancer, pricing=Project.Pricing.FIXED, price=Decimal("100000"))
    MilestoneFactory(project=project, amount=Decimal("30000"), paid_at=NOW)
    MilestoneFactory(project=project, amount=Decimal("20000"))

    totals = project_totals(project=project)

    assert totals.current_total == Decimal("100000")
    assert totals.scheduled == Decimal("50000")
    assert totals.unscheduled == Decimal("50000")


class MoneyPropertyTests(TestCase):
    """Hypothesis examples each get a fresh transaction (pytest's db fixture would not)."""

    def _project(self):
        project = ProjectFactory(price=Decimal("50000"))
        approver = ContactFactory(client=project.client, may_approve=True)
        return project, approver

    @settings(max_examples=30, deadline=None)
    @given(
        deltas=st.lists(nonzero_amounts, min_size=1, max_size=6),
        outcomes=st.lists(st.sampled_from(["approve", "decline", "withdraw", "leave"]), min_size=6, max_size=6),
        revision_rounds=st.integers(min_value=0, max_value=5),
        order=st.randoms(use_true_random=False),
    )
    def test_the_total_is_the_sum_of_its_parts_in_any_order(self, deltas, outcomes, revision_rounds, order):
        project, approver = self._project()  # 50,000; 2 free rounds, then 4,000 a round
        item = ScopeItemFactory(project=project)
        changes = [ChangeRequestFactory(project=project, price_delta=d) for d in deltas]
        events = [("revision", None)] * revision_rounds + list(zip(changes, outcomes, strict=False))
        order.shuffle(events)

        running, approved, rounds = Decimal("50000"), Decimal("0"), 0
        for change, outcome in events:
            if change == "revision":
                rounds += 1
                revision_request_create(scope_item=item, description="again", now=NOW)
                running += Decimal("4000") if rounds > 2 else 0
                continue
            change_request_quote(change_request=change, now=NOW)
            if outcome == "approve" and running + change.price_delta < 0:
                with pytest.raises(ChangeRequestError):  # a total below zero is refused
                    change_request_approve(
                        change_request=change, approved_by=approver, recorded_by=project.owner, now=NOW
                    )
            elif outcome == "approve":
                change_request_approve(change_request=change, approved_by=approver, recorded_by=project.owner, now=NOW)
                running += change.price_delta
                approved += change.price_delta
            elif outcome == "decline":
                change_request_decline(change_request=change, recorded_by=project.owner, now=NOW)
            elif outcome == "withdraw":
                change_request_withdraw(change_request=change, recorded_by=project.owner, now=NOW)

        totals = project_totals(project=project)
        assert totals.current_total == running
        assert (totals.base, totals.approved_changes, totals.extra_revisions) == (
            Decimal("50000"), approved, Decimal("4000") * max(rounds - 2, 0)
        )

    @settings(max_examples=20, deadline=None)
    @given(delta=amounts, outcome=st.sampled_from(["decline", "withdraw"]), quoted=st.booleans())
    def test_declining_or_withdrawing_changes_nothing(self, delta, outcome, quoted):
        project, _ = self._project()
        item = ScopeItemFactory(project=project)
        milestone = MilestoneFactory(project=project)
        change = ChangeRequestFactory(project=project, price_delta=delta)
        change.date_changes.create(milestone=milestone, new_due_at=milestone.due_at.replace(year=2027))
        change.scope_additions.create(title="Flyer", quantity=1)
        change.remove_scope_items.add(item)
        if quoted:
            change_request_quote(change_request=change, now=NOW)
        before = (
            project_totals(project=project).current_total,
            list(project.scope_items.values_list("pk", "removed_by")),
        )

        decide = change_request_decline if outcome == "decline" else change_request_withdraw
        decide(change_request=change, recorded_by=project.owner, now=NOW)

        milestone.refresh_from_db()
        after = (
            project_totals(project=project).current_total,
            list(project.scope_items.values_list("pk", "removed_by")),
        )
        assert after == before
        assert milestone.due_at.year == 2026

    @settings(max_examples=50, deadline=None)
    @given(value=st.floats(allow_nan=True, allow_infinity=True))
    def test_no_float_reaches_a_model(self, value):
        field = MoneyField()
        with pytest.raises(ValidationError) as refused:
            field.to_python(value)
        assert "floating-point" in str(refused.value)
        with pytest.raises(TypeError):
            field.get_prep_value(value)
        project = ProjectFactory.build(price=value)
        with pytest.raises(ValidationError) as refused:
            project.full_clean()
        assert "price" in refused.value.message_dict
