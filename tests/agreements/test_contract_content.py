"""agreements/contracts.py: contract_issue() — what the issued contract says, read back from its PDF."""

import datetime
import hashlib
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements.clauses import built_in_clauses, project_clauses
from agreements.contracts import contract_issue
from agreements.models import DefaultClause, FreelancerProfile, Milestone, ProjectClause
from tests.factories import (
    NOW,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
)
from tests.html import flat
from tests.pdf import page_size_mm, pdf_pages, pdf_text

KOLKATA = ZoneInfo("Asia/Kolkata")
BUILT_IN_HEADINGS = [title for title, _body in built_in_clauses()]



def headings_in_order(text: str) -> list[str]:
    """The numbered clause headings, "6. Payment", in the order the PDF shows them."""
    return re.findall(r"^(\d+\. .+?)\s*$", text, flags=re.M)


@pytest.fixture
def profile(freelancer):
    return FreelancerProfile.objects.create(
        user=freelancer, display_name="Alice Fernandes", business_name="Fernandes Design Studio",
        address="12 MG Road\nPune 411001", phone="+91 98200 12345", help_hours="weekdays 10:00–18:00 IST",
    )


@pytest.fixture
def agreed_project(project, profile, client_company, approver):
    """Alice's project with everything a contract states: scope, both kinds of deadline, payments."""
    client_company.address = "Plot 7, MIDC\nNashik 422010"
    client_company.email = "accounts@sahyadri.example"
    client_company.save()
    project.price = Decimal("1234567.50")
    project.free_revision_rounds = 3
    project.extra_round_fee = Decimal("4500")
    project.save()
    ScopeItemFactory(
        project=project, position=1, title="Pouch designs", quantity=Decimal("7"), unit="designs",
        exclusions="Copywriting and printing.",
    )
    ScopeItemFactory(
        project=project, position=2, title="Gift box artwork", quantity=Decimal("2"), unit="boxes",
        exclusions="Not included: printing or print supervision.",
    )
    MilestoneFactory(
        project=project, title="Brand photos and copy", owed_by=Milestone.OwedBy.CLIENT,
        due_at=datetime.datetime(2026, 11, 30, 12, 0, tzinfo=KOLKATA), amount=Decimal("0"),
    )
    MilestoneFactory(
        project=project, title="First concepts", due_at=datetime.datetime(2026, 12, 4, 18, 0, tzinfo=KOLKATA),
        amount=Decimal("234567.50"),
    )
    MilestoneFactory(
        project=project, title="Final artwork", due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA),
        amount=Decimal("500000"),
    )
    return project


def test_it_states_the_parties_scope_price_deadlines_and_revisions(agreed_project, freelancer):
    version = contract_issue(project=agreed_project, issued_by=freelancer, now=NOW)

    text = flat(pdf_text(version.pdf))
    # The parties, and who may approve for the client.
    assert "Alice Fernandes Fernandes Design Studio 12 MG Road Pune 411001 alice@example.com · +91 98200 12345" in text
    assert "Sahyadri Foods Plot 7, MIDC Nashik 422010 accounts@sahyadri.example" in text
    assert "May approve changes and accept this contract: Rahul" in text
    # Scope: quantity, deliverable and what it does not include.
    assert "7 designs Pouch designs Copywriting and printing." in text
    assert "2 boxes Gift box artwork Not included: printing or print supervision." in text
    # Price and payment schedule, in Indian grouping; the rest is due on completion.
    assert "The price is ₹12,34,567.50 (INR)." in text
    assert "First concepts 4 Dec 2026 ₹2,34,567.50" in text
    assert "Final artwork 15 Dec 2026 ₹5,00,000.00" in text
    assert "On completion of the project ₹5,00,000.00" in text
    assert "Total ₹12,34,567.50" in text
    assert "Brand photos and copy 30 Nov 2026 ₹" not in text  # nothing is payable on the client's step
    # Deadlines in the project's time zone, and what the client owes.
    assert "All times are in Asia/Kolkata." in text
    assert "Brand photos and copy 30 Nov 2026, 12:00 the client" in text
    assert "First concepts 4 Dec 2026, 18:00 the freelancer" in text
    assert "What the client provides, and by when Brand photos and copy, by 30 Nov 2026, 12:00" in text
    # Revision policy.
    assert "Each deliverable includes 3 rounds of corrections." in text
    assert "Each further round costs ₹4,500.00, and is confirmed before work on it starts." in text


def test_it_includes_every_built_in_clause_then_the_acceptance_block(agreed_project, freelancer):
    version = contract_issue(project=agreed_project, issued_by=freelancer, now=NOW)

    raw = pdf_text(version.pdf)
    text = flat(raw)
    assert headings_in_order(raw) == [
        "1. The parties", "2. Scope: what will be delivered", "3. Price and payment schedule", "4. Deadlines",
        "5. Revisions", "6. Changes only in writing", "7. Payment", "8. Late feedback and materials from the client",
        "9. Cancellation and kill fee", "10. Transfer of rights", "11. Confidentiality",
    ]
    assert "only by a written change request" in text
    assert "a kill fee of 25% of the price of the milestones not yet started" in text
    assert "pass to the client when the full price has been paid" in text
    assert text.index("11. Confidentiality") < text.index("Acceptance") < text.index(
        "For the client: name, signature, date Sahyadri Foods The freelancer: signature, date Alice Fernandes"
    )
    assert "By signing below, or by accepting version 1 in the project portal, both parties agree" in text


def test_every_page_carries_the_version_full_fingerprint_page_number_and_help_line(agreed_project, freelancer):
    version = contract_issue(project=agreed_project, issued_by=freelancer, now=NOW)

    assert version.number == 1
    assert version.sha256 == hashlib.sha256(version.html.encode("utf-8")).hexdigest()
    pages = [flat(page) for page in pdf_pages(version.pdf)]
    assert len(pages) >= 2
    assert pages[0].startswith("Contract · version 1 · issued 23 November 2026 Diwali packaging")
    for number, page in enumerate(pages, start=1):
        assert "Diwali packaging · Contract version 1" in page
        assert f"SHA-256 {version.sha256}" in page
        assert f"Page {number} of {len(pages)}" in page
        assert (
            "Need help? Write to Alice Fernandes at alice@example.com or call +91 98200 12345 "
            "(weekdays 10:00–18:00 IST)." in page
        )
    assert page_size_mm(version.pdf) == (210.0, 297.0)


def test_the_payment_schedule_adds_up_to_the_stated_total_after_a_charged_extra_round(project, freelancer):
    """Fails today: "On completion" is totals.unscheduled, which counts extra revision rounds that the
    contract's price (agreed_price) leaves out, so the lines add up to more than the Total row."""
    item = ScopeItemFactory(project=project)
    MilestoneFactory(project=project, title="Final artwork", amount=Decimal("60000"))
    RevisionRequestFactory(scope_item=item, charge=Decimal("4000"))

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    text = flat(pdf_text(version.pdf))
    assert "Final artwork 15 Dec 2026 ₹60,000.00" in text
    assert "Total ₹1,00,000.00" in text
    assert "On completion of the project ₹40,000.00" in text


def test_a_freelancers_own_default_clauses_replace_the_built_in_ones(project, freelancer, other_freelancer):
    DefaultClause.objects.create(owner=freelancer, position=2, title="Payment", body="Invoices are due in 7 days.")
    DefaultClause.objects.create(owner=freelancer, position=1, title="Working hours", body="Weekdays, 10 to 6.")
    DefaultClause.objects.create(owner=other_freelancer, title="Bob's own terms", body="Bob's way.")

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    raw = pdf_text(version.pdf)
    assert headings_in_order(raw)[5:] == ["6. Working hours", "7. Payment"]
    text = flat(raw)
    assert "Weekdays, 10 to 6." in text
    assert "Invoices are due in 7 days." in text
    assert "Bob" not in text
    for heading in BUILT_IN_HEADINGS:
        if heading != "Payment":
            assert heading not in text
    assert [c.title for c in project.clauses.all()] == ["Working hours", "Payment"]


def test_edited_and_reordered_project_clauses_appear_in_their_new_order(project, freelancer):
    clauses = {c.title: c for c in project_clauses(project)}
    ProjectClause.objects.filter(pk=clauses["Confidentiality"].pk).update(position=0)
    ProjectClause.objects.filter(pk=clauses["Payment"].pk).update(
        title="Payment terms", body="Half on signing, half on delivery of the final artwork."
    )
    clauses["Transfer of rights"].delete()
    project.clauses.create(position=99, title="Source files", body="Working files are handed over on request.")

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    raw = pdf_text(version.pdf)
    assert headings_in_order(raw)[5:] == [
        "6. Confidentiality", "7. Changes only in writing", "8. Payment terms",
        "9. Late feedback and materials from the client", "10. Cancellation and kill fee", "11. Source files",
    ]
    text = flat(raw)
    assert "Half on signing, half on delivery of the final artwork." in text
    assert "Working files are handed over on request." in text
    assert "Transfer of rights" not in text
    assert "invoiced when its milestone is delivered" not in text  # the built-in payment text was replaced


def test_a_project_with_no_scope_and_no_deadlines_still_gets_a_complete_contract(freelancer):
    project = ProjectFactory(owner=freelancer, title="Logo refresh", price=Decimal("45000"))

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    text = flat(pdf_text(version.pdf))
    assert "No deliverables have been listed yet." in text
    assert "The price is ₹45,000.00 (INR)." in text
    assert "Payable when this is delivered" not in text
    assert "No deadlines have been set yet." in text
    assert "What the client provides" not in text
    assert "May approve changes" not in text  # the client has no approvers yet
    assert "11. Confidentiality" in text
    assert "Acceptance" in text
    assert f"SHA-256 {version.sha256}" in text
    assert "Need help? Write to Alice at alice@example.com." in text  # no profile yet: the login name and email
    assert "None" not in text


def test_a_long_contract_has_the_fingerprint_and_page_number_on_every_page(project, freelancer):
    titles = [f"Festival label design {n:02d}" for n in range(1, 61)]
    for position, title in enumerate(titles, start=1):
        ScopeItemFactory(
            project=project, position=position, title=title, quantity=Decimal(position), unit="labels",
            exclusions="Not included: printing, die lines, or photography of the finished packs.",
        )
    ContactFactory(client=project.client, name="Rahul", may_approve=True)

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    pages = [flat(page) for page in pdf_pages(version.pdf)]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"SHA-256 {version.sha256}" in page
        assert f"Page {number} of {len(pages)}" in page
    text = " ".join(pages)
    for position, title in enumerate(titles, start=1):
        assert text.count(f"{position} labels {title} Not included") == 1  # none lost or doubled at a break
    assert text.index("Festival label design 60") < text.index("6. Changes only in writing")
