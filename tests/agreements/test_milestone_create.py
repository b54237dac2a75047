"""agreements/views/scope.py: milestone_create and milestone_edit — deadlines in the project's zone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Milestone, Project
from tests.factories import MilestoneFactory, ProjectFactory

UTC = datetime.UTC


@pytest.fixture
def project(draft_project):
    """Deliverables and deadlines are written while the project is a draft; once the client has
    agreed, they change through change requests (tests/agreements/test_agreed_terms.py)."""
    return draft_project


@pytest.fixture
def project_in(freelancer, client_company):
    def make(zone, **fields):
        fields.setdefault("start_date", datetime.date(2026, 1, 1))
        fields.setdefault("status", Project.Status.DRAFT)
        return ProjectFactory(owner=freelancer, client=client_company, timezone=zone, **fields)

    return make


def create_url(project):
    return reverse("agreements:milestone_create", args=[project.pk])


def edit_url(milestone):
    return reverse("agreements:milestone_edit", args=[milestone.pk])


def milestone_data(**overrides):
    data = {
        "title": "First concepts",
        "due_at": "2026-12-01T18:00",
        "owed_by": Milestone.OwedBy.FREELANCER,
        "estimated_hours": "10",
        "progress": "0",
        "amount": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("zone", "typed", "stored_utc"), [
    ("Asia/Kolkata", "2026-12-01T18:00", datetime.datetime(2026, 12, 1, 12, 30, tzinfo=UTC)),
    ("Asia/Kathmandu", "2026-12-01T18:00", datetime.datetime(2026, 12, 1, 12, 15, tzinfo=UTC)),
    ("America/New_York", "2026-12-01T18:00", datetime.datetime(2026, 12, 1, 23, 0, tzinfo=UTC)),  # EST
    ("America/New_York", "2026-07-01T18:00", datetime.datetime(2026, 7, 1, 22, 0, tzinfo=UTC)),  # EDT
])
def test_it_reads_the_typed_time_in_the_projects_zone(alice_client, project_in, zone, typed, stored_utc):
    project = project_in(zone)

    response = alice_client.post(create_url(project), milestone_data(due_at=typed))

    assert response.status_code == 302
    assert project.milestones.get().due_at == stored_utc


def test_it_labels_the_due_field_with_the_zone(alice_client, project_in):
    html = alice_client.get(create_url(project_in("Asia/Kathmandu"))).content.decode()

    assert "Due (Asia/Kathmandu)" in html


@pytest.mark.parametrize(("zone", "stored_utc", "shown"), [
    ("Asia/Kathmandu", datetime.datetime(2026, 12, 1, 12, 15, tzinfo=UTC), "2026-12-01T18:00"),
    ("Asia/Kolkata", datetime.datetime(2026, 12, 1, 12, 30, tzinfo=UTC), "2026-12-01T18:00"),
    ("America/New_York", datetime.datetime(2026, 7, 1, 22, 0, tzinfo=UTC), "2026-07-01T18:00"),
    ("America/New_York", datetime.datetime(2026, 12, 1, 23, 0, tzinfo=UTC), "2026-12-01T18:00"),
])
def test_the_edit_form_shows_the_stored_time_in_the_projects_zone(alice_client, project_in, zone, stored_utc, shown):
    milestone = MilestoneFactory(project=project_in(zone), due_at=stored_utc)

    html = alice_client.get(edit_url(milestone)).content.decode()

    tag = re.search(r'<input[^>]*name="due_at"[^>]*>', html).group()
    assert f'value="{shown}"' in tag


def test_saving_the_edit_form_unchanged_keeps_the_instant(alice_client, project_in):
    milestone = MilestoneFactory(
        project=project_in("Asia/Kathmandu"), due_at=datetime.datetime(2026, 12, 1, 12, 15, tzinfo=UTC)
    )

    alice_client.post(edit_url(milestone), milestone_data(due_at="2026-12-01T18:00", title="Renamed"))

    milestone.refresh_from_db()
    assert milestone.title == "Renamed"
    assert milestone.due_at == datetime.datetime(2026, 12, 1, 12, 15, tzinfo=UTC)


@pytest.mark.parametrize("typed", [
    "2026-03-08T02:30",  # clocks jump from 02:00 to 03:00: this time never happens
    "2026-11-01T01:30",  # clocks fall back: this time happens twice
])
def test_it_refuses_a_local_time_the_dst_change_makes_unclear(alice_client, project_in, typed):
    project = project_in("America/New_York")

    response = alice_client.post(create_url(project), milestone_data(due_at=typed))

    assert response.status_code == 200
    [message] = response.context["form"].errors["due_at"]
    assert "America/New_York" in message
    assert f'value="{typed}"' in response.content.decode()
    assert not project.milestones.exists()


def test_it_refuses_a_deadline_before_the_project_starts(alice_client, project_in):
    project = project_in("Asia/Kolkata", start_date=datetime.date(2026, 11, 1))

    response = alice_client.post(create_url(project), milestone_data(due_at="2026-10-31T18:00"))

    assert response.status_code == 200
    assert response.context["form"].errors["due_at"] == [
        "The deadline is before the project starts (2026-11-01)."
    ]
    assert 'value="2026-10-31T18:00"' in response.content.decode()
    assert not project.milestones.exists()


def test_it_compares_the_start_date_in_the_projects_zone(alice_client, project_in):
    """00:10 on the start day in Kathmandu is still the day before in UTC: it is allowed."""
    project = project_in("Asia/Kathmandu", start_date=datetime.date(2026, 11, 1))

    early = alice_client.post(create_url(project), milestone_data(due_at="2026-11-01T00:10"))
    too_early = alice_client.post(create_url(project), milestone_data(due_at="2026-10-31T23:50"))

    assert early.status_code == 302
    assert project.milestones.get().due_at == datetime.datetime(2026, 10, 31, 18, 25, tzinfo=UTC)
    assert "due_at" in too_early.context["form"].errors


def test_it_refuses_moving_a_deadline_before_the_start_when_editing(alice_client, project_in):
    project = project_in("Asia/Kolkata", start_date=datetime.date(2026, 11, 1))
    milestone = MilestoneFactory(project=project)
    before = milestone.due_at

    response = alice_client.post(edit_url(milestone), milestone_data(due_at="2026-10-15T10:00"))

    assert "2026-11-01" in response.context["form"].errors["due_at"][0]
    milestone.refresh_from_db()
    assert milestone.due_at == before


def test_it_reads_devanagari_digits_in_hours_and_amount(alice_client, project_in):
    project = project_in("Asia/Kolkata")

    alice_client.post(create_url(project), milestone_data(estimated_hours="१२.५", amount="२५०००", progress="४०"))

    milestone = project.milestones.get()
    assert milestone.estimated_hours == Decimal("12.5")
    assert milestone.amount == Decimal("25000")
    assert milestone.progress == 40


def test_it_reads_devanagari_digits_in_the_due_date(alice_client, project_in):
    project = project_in("Asia/Kathmandu")

    alice_client.post(create_url(project), milestone_data(due_at="२०२६-१२-०१T१८:००"))

    assert project.milestones.get().due_at == datetime.datetime(2026, 12, 1, 12, 15, tzinfo=UTC)


def test_it_refuses_an_amount_too_precise_for_the_currency(alice_client, project_in):
    project = project_in("Asia/Kolkata", currency="JPY", price=Decimal("100000"), extra_round_fee=Decimal("0"))

    response = alice_client.post(create_url(project), milestone_data(amount="2500.5"))

    assert response.context["form"].errors["amount"] == ["JPY amounts have at most 0 decimal places."]
    assert not project.milestones.exists()


def test_it_refuses_negative_hours(alice_client, project_in):
    project = project_in("Asia/Kolkata")

    response = alice_client.post(create_url(project), milestone_data(estimated_hours="-2"))

    assert "estimated_hours" in response.context["form"].errors
    assert 'value="-2"' in response.content.decode()


def test_it_does_not_add_milestones_to_bobs_project(bob_client, project):
    assert bob_client.post(create_url(project), milestone_data()).status_code == 404
    assert not Milestone.objects.exists()


def test_it_does_not_let_bob_edit_alices_milestone(bob_client, project):
    milestone = MilestoneFactory(project=project, title="First concepts")

    assert bob_client.post(edit_url(milestone), milestone_data(title="Mine")).status_code == 404
    milestone.refresh_from_db()
    assert milestone.title == "First concepts"

