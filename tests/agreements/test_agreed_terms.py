"""Once the client has agreed (the project is active), terms change only by change request.

The edit forms still work for what is not a term (progress, notes, done/paid), and silently
ignore a forged value for a locked term: a disabled field never reads the POST.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agreements.forms.base import TERM_LOCKED_HELP
from agreements.models import Project
from agreements.money import project_totals
from tests.factories import NOW, ClientFactory, MilestoneFactory, ScopeItemFactory
from tests.html import FormFields

KOLKATA = ZoneInfo("Asia/Kolkata")


def project_data(project, **overrides):
    data = {
        "client": project.client_id, "title": project.title, "goal": "Better packs", "start_date": "2026-11-01",
        "timezone": "Asia/Kolkata", "currency": "INR", "pricing": "fixed", "price": "100000",
        "hourly_rate": "0", "free_revision_rounds": "2", "revision_charge": "fixed",
        "extra_round_fee": "4000", "extra_round_hours": "0",
    }
    return data | overrides


def test_an_active_projects_price_cannot_be_changed_from_the_edit_form(alice_client, project):
    assert project.status == Project.Status.ACTIVE

    response = alice_client.post(
        reverse("agreements:project_edit", args=[project.pk]),
        project_data(project, price="1", free_revision_rounds="9", title="Renamed"),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Renamed"
    assert project.price == Decimal("100000")
    assert project.free_revision_rounds == 2


def test_the_edit_form_says_why_a_term_is_read_only(alice_client, project):
    page = alice_client.get(reverse("agreements:project_edit", args=[project.pk])).content.decode()

    assert str(TERM_LOCKED_HELP) in page
    assert 'name="price" value="100000.00"' in page  # the amount as written for INR


def test_a_draft_projects_terms_are_editable(alice_client, project):
    project.status = Project.Status.DRAFT
    project.save()

    alice_client.post(reverse("agreements:project_edit", args=[project.pk]), project_data(project, price="90000"))

    project.refresh_from_db()
    assert project.price == Decimal("90000")


def test_adding_a_deliverable_to_an_agreed_project_leads_to_a_change_request(alice_client, project):
    response = alice_client.post(
        reverse("agreements:scope_item_create", args=[project.pk]),
        {"title": "Extra flyer", "quantity": "1", "position": "0"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("agreements:change_create", args=[project.pk])
    assert "record a change request" in response.content.decode()
    assert not project.scope_items.exists()


def test_an_agreed_deliverable_keeps_its_quantity_but_its_description_can_change(alice_client, project):
    item = ScopeItemFactory(project=project, title="Designs", quantity=Decimal("7"))

    alice_client.post(
        reverse("agreements:scope_item_edit", args=[item.pk]),
        {"title": "Designs", "quantity": "70", "unit": "designs", "description": "Warm colours", "position": "0"},
    )

    item.refresh_from_db()
    assert item.quantity == Decimal("7")
    assert item.description == "Warm colours"


def milestone_data(**overrides):
    data = {
        "title": "Final artwork", "due_at": "2027-01-30T18:00", "owed_by": "freelancer",
        "estimated_hours": "10", "progress": "60", "amount": "99999",
    }
    return data | overrides


def test_an_agreed_deadline_and_payment_stay_while_progress_moves(alice_client, project):
    due = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    milestone = MilestoneFactory(project=project, due_at=due, amount=Decimal("50000"), progress=10)

    alice_client.post(reverse("agreements:milestone_edit", args=[milestone.pk]), milestone_data())

    milestone.refresh_from_db()
    assert milestone.due_at == due
    assert milestone.amount == Decimal("50000")
    assert milestone.progress == 60


def test_a_new_milestone_on_an_agreed_project_adds_nothing_to_the_price(alice_client, project):
    alice_client.post(reverse("agreements:milestone_create", args=[project.pk]), milestone_data())

    milestone = project.milestones.get()
    assert milestone.amount == 0
    assert milestone.due_at == datetime.datetime(2027, 1, 30, 18, 0, tzinfo=KOLKATA)


@time_machine.travel(NOW, tick=False)
def test_marking_a_milestone_done_and_paid_records_when_and_counts_it_as_paid(alice_client, project):
    milestone = MilestoneFactory(project=project, amount=Decimal("50000"))

    alice_client.post(
        reverse("agreements:milestone_edit", args=[milestone.pk]),
        milestone_data(progress="100", completed="on", paid="on"),
    )

    milestone.refresh_from_db()
    assert milestone.completed_at == NOW
    assert milestone.paid_at == NOW
    assert project_totals(project=project).paid == Decimal("50000")
    page = alice_client.get(project.get_absolute_url()).content.decode()
    assert "₹50,000.00" in page


@pytest.mark.parametrize("field", ["completed", "paid"])
def test_unticking_done_or_paid_clears_it(alice_client, project, field):
    milestone = MilestoneFactory(project=project, completed_at=NOW, paid_at=NOW)
    data = milestone_data(completed="on", paid="on")
    del data[field]

    alice_client.post(reverse("agreements:milestone_edit", args=[milestone.pk]), data)

    milestone.refresh_from_db()
    assert getattr(milestone, {"completed": "completed_at", "paid": "paid_at"}[field]) is None


@pytest.fixture
def hourly(project):
    project.pricing = Project.Pricing.HOURLY
    project.hourly_rate = Decimal("1000")
    project.save()
    return project


def test_an_agreed_hourly_projects_hours_stay_because_they_are_its_price(alice_client, hourly):
    milestone = MilestoneFactory(project=hourly, estimated_hours=Decimal("10"))

    alice_client.post(reverse("agreements:milestone_edit", args=[milestone.pk]), milestone_data(estimated_hours="150"))

    milestone.refresh_from_db()
    assert milestone.estimated_hours == Decimal("10")
    assert project_totals(project=hourly).base == Decimal("10000")


def test_a_new_milestone_adds_no_hours_to_an_agreed_hourly_project(alice_client, hourly):
    MilestoneFactory(project=hourly, estimated_hours=Decimal("10"))

    alice_client.post(reverse("agreements:milestone_create", args=[hourly.pk]), milestone_data(estimated_hours="150"))

    assert project_totals(project=hourly).base == Decimal("10000")


def test_an_agreed_projects_time_zone_stays_so_deadlines_keep_their_local_time(alice_client, project):
    alice_client.post(
        reverse("agreements:project_edit", args=[project.pk]), project_data(project, timezone="America/New_York")
    )

    project.refresh_from_db()
    assert project.timezone == "Asia/Kolkata"


# Every agreed term with a value that, posted alone, the edit form would accept and save if the
# term were not locked (listed here on purpose, not read from Project.AGREED_FIELDS). "client" is
# another of alice's clients, made by the test.
FORGED_TERMS = {
    "client": "another of alice's clients",
    "start_date": "2026-10-01",
    "timezone": "America/New_York",
    "currency": "USD",
    "pricing": "hourly",
    "price": "1",
    "hourly_rate": "5000",
    "free_revision_rounds": "9",
    "revision_charge": "hourly",
    "extra_round_fee": "1",
    "extra_round_hours": "7",
}


def agreed_terms(project):
    return {name: getattr(project, name) for name in FORGED_TERMS}


@pytest.mark.parametrize("term", sorted(FORGED_TERMS))
def test_no_agreed_term_of_an_active_project_can_be_forged_from_the_edit_form(
    alice_client, freelancer, client_company, project, term
):
    # An hourly rate and hours per extra round are agreed too, so that hourly pricing or hourly
    # extra rounds, forged alone, would pass the project's own validation.
    project.hourly_rate = Decimal("1000")
    project.extra_round_hours = Decimal("2")
    project.save()
    MilestoneFactory(project=project, amount=Decimal("30000"), estimated_hours=Decimal("10"))
    project.refresh_from_db()
    expected = {
        "client": client_company, "start_date": datetime.date(2026, 11, 1), "timezone": "Asia/Kolkata",
        "currency": "INR", "pricing": Project.Pricing.FIXED, "price": Decimal("100000"),
        "hourly_rate": Decimal("1000"), "free_revision_rounds": 2, "revision_charge": Project.RevisionCharge.FIXED,
        "extra_round_fee": Decimal("4000"), "extra_round_hours": Decimal("2"),
    }
    assert project.status == Project.Status.ACTIVE
    assert agreed_terms(project) == expected
    total = project_totals(project=project).current_total
    assert total == Decimal("100000")
    url = reverse("agreements:project_edit", args=[project.pk])
    forged = FORGED_TERMS[term]
    if term == "client":
        forged = ClientFactory(owner=freelancer, name="Konkan Spices").pk
    data = FormFields(alice_client.get(url).content.decode()).data | {term: forged, "title": "Renamed"}

    response = alice_client.post(url, data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Renamed"  # the form was saved: only the agreed terms were ignored
    assert agreed_terms(project) == expected
    assert project_totals(project=project).current_total == total
