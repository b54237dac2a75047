"""agreements/views/projects.py: project_edit — changing a project's terms before they are agreed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Project
from tests.factories import ClientFactory, ProjectFactory
from tests.html import FormFields, refused


@pytest.fixture
def draft(freelancer, client_company):
    """A project still being written up: its terms may change freely."""
    return ProjectFactory(
        owner=freelancer, client=client_company, title="Diwali packaging", status=Project.Status.DRAFT,
        goal="Gift boxes.", price=Decimal("185000"),
    )


def url(project):
    return reverse("agreements:project_edit", args=[project.pk])


def edit_data(project, **overrides):
    """The edit form as the browser posts it back unchanged, plus the overrides."""
    data = {
        "client": project.client_id,
        "title": project.title,
        "goal": project.goal,
        "start_date": project.start_date.isoformat(),
        "timezone": project.timezone,
        "currency": project.currency,
        "pricing": project.pricing,
        "price": str(project.price),
        "hourly_rate": str(project.hourly_rate),
        "free_revision_rounds": str(project.free_revision_rounds),
        "revision_charge": project.revision_charge,
        "extra_round_fee": str(project.extra_round_fee),
        "extra_round_hours": str(project.extra_round_hours),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("zone", "currency", "price"), [
    ("Asia/Kathmandu", "NPR", Decimal("50000.50")),
    ("America/New_York", "JPY", Decimal("120000")),
    ("Asia/Kolkata", "KWD", Decimal("1500.125")),
])
def test_saving_the_page_untouched_changes_nothing(alice_client, draft, zone, currency, price):
    Project.objects.filter(pk=draft.pk).update(timezone=zone, currency=currency, price=price, extra_round_fee=0)
    draft.refresh_from_db()
    before = {name: getattr(draft, name) for name in edit_data(draft)}

    data = FormFields(alice_client.get(url(draft)).content.decode()).data
    response = alice_client.post(url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert {name: getattr(draft, name) for name in before} == before


def test_it_shows_the_project_as_stored(alice_client, draft):
    html = alice_client.get(url(draft)).content.decode()

    assert 'value="Diwali packaging"' in html
    assert re.search(r'<input type="text" name="price" value="185000(\.0+)?"', html)
    assert '<option value="Asia/Kolkata" selected>' in html


def test_it_saves_changes_and_says_so(alice_client, draft):
    response = alice_client.post(
        url(draft), edit_data(draft, title="Diwali gift boxes", price="190000.50", timezone="Asia/Kathmandu"),
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.title == "Diwali gift boxes"
    assert draft.price == Decimal("190000.50")
    assert draft.timezone == "Asia/Kathmandu"
    assert "Project saved." in response.content.decode()


def test_it_is_not_found_for_bob(bob_client, draft):
    assert bob_client.get(url(draft)).status_code == 404
    assert bob_client.post(url(draft), edit_data(draft, title="Mine now")).status_code == 404

    draft.refresh_from_db()
    assert draft.title == "Diwali packaging"


def test_it_refuses_to_move_the_project_to_bobs_client(alice_client, draft, other_freelancer, client_company):
    bobs = ClientFactory(owner=other_freelancer, name="Bob's Bakery")

    response = alice_client.post(url(draft), edit_data(draft, client=bobs.pk))

    refused(response, "client")
    draft.refresh_from_db()
    assert draft.client == client_company


def test_it_refuses_an_unknown_currency_and_keeps_what_was_typed(alice_client, draft):
    response = alice_client.post(url(draft), edit_data(draft, currency="XYZ", title="Renamed"))

    html = refused(response, "currency")
    assert 'value="XYZ"' in html
    assert 'value="Renamed"' in html
    draft.refresh_from_db()
    assert (draft.currency, draft.title) == ("INR", "Diwali packaging")


def test_it_refuses_a_price_too_precise_for_a_new_currency(alice_client, draft):
    response = alice_client.post(url(draft), edit_data(draft, currency="JPY", price="100.5"))

    html = refused(response, "price")
    assert response.context["form"].errors["price"] == ["JPY amounts have at most 0 decimal places."]
    assert 'value="100.5"' in html
    draft.refresh_from_db()
    assert draft.currency == "INR"


def test_it_refuses_a_negative_fee(alice_client, draft):
    response = alice_client.post(url(draft), edit_data(draft, extra_round_fee="-1"))

    html = refused(response, "extra_round_fee")
    assert 'value="-1"' in html
    draft.refresh_from_db()
    assert draft.extra_round_fee == Decimal("4000")


def test_it_refuses_switching_to_hourly_without_a_rate(alice_client, draft):
    response = alice_client.post(url(draft), edit_data(draft, pricing=Project.Pricing.HOURLY, hourly_rate="0"))

    refused(response, "hourly_rate")
    draft.refresh_from_db()
    assert draft.pricing == Project.Pricing.FIXED


def test_it_refuses_an_unknown_time_zone_and_shows_it_selected(alice_client, draft):
    response = alice_client.post(url(draft), edit_data(draft, timezone="Europe/Gondor"))

    html = refused(response, "timezone")
    assert '<option value="Europe/Gondor" selected>' in html
    draft.refresh_from_db()
    assert draft.timezone == "Asia/Kolkata"


def test_it_shows_a_stored_zone_that_tzdata_no_longer_knows(alice_client, draft):
    """Opening the form must not silently swap the zone for the first one in the list."""
    Project.objects.filter(pk=draft.pk).update(timezone="Asia/Old_Zone")

    html = alice_client.get(url(draft)).content.decode()

    assert '<option value="Asia/Old_Zone" selected>' in html
    form = html[html.index("<form"):html.index('id="language-menu"')]  # not the language menu
    assert form.count(" selected>") == 4  # client, zone, pricing, revision charge: one choice each


def test_it_reads_devanagari_digits(alice_client, draft):
    alice_client.post(url(draft), edit_data(draft, price="१२३४५.५०", free_revision_rounds="३"))

    draft.refresh_from_db()
    assert draft.price == Decimal("12345.50")
    assert draft.free_revision_rounds == 3


def test_it_stores_mojibake_in_the_goal_exactly(alice_client, draft, seed_text):
    mojibake = next(line for line in seed_text("001").splitlines() if "à¤" in line)

    response = alice_client.post(url(draft), edit_data(draft, goal=mojibake))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.goal == mojibake
