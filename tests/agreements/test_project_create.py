"""agreements/views/projects.py: project_create — the new-project page and what it refuses."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from agreements.models import Project
from agreements.models.fields import FLOAT_REFUSED
from agreements.models.profile import profile_for
from tests.factories import ClientFactory
from tests.html import FormFields, refused

URL = reverse("agreements:project_create")


@pytest.fixture
def bobs_client(other_freelancer):
    return ClientFactory(owner=other_freelancer, name="Bob's Bakery")


def project_data(client_company, **overrides):
    """A valid new-project form as a browser posts it."""
    data = {
        "client": client_company.pk,
        "title": "Diwali packaging",
        "goal": "Gift boxes that sell out before Diwali.",
        "start_date": "2026-11-01",
        "timezone": "Asia/Kolkata",
        "currency": "INR",
        "pricing": Project.Pricing.FIXED,
        "price": "185000",
        "hourly_rate": "0",
        "free_revision_rounds": "2",
        "revision_charge": Project.RevisionCharge.FIXED,
        "extra_round_fee": "4000",
        "extra_round_hours": "0",
    }
    data.update(overrides)
    return data


def test_it_offers_only_alices_clients(alice_client, client_company, bobs_client):
    response = alice_client.get(URL)

    html = response.content.decode()
    assert "Sahyadri Foods" in html
    assert "Bob&#x27;s Bakery" not in html and "Bob's Bakery" not in html
    assert list(response.context["form"].fields["client"].queryset) == [client_company]


def test_it_creates_a_project_for_alice_and_shows_it(alice_client, freelancer, client_company):
    response = alice_client.post(URL, project_data(client_company), follow=True)

    project = Project.objects.get()
    assert project.owner == freelancer
    assert project.client == client_company
    assert project.status == Project.Status.DRAFT
    assert project.price == Decimal("185000")
    assert project.extra_round_fee == Decimal("4000")
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert "Project created." in response.content.decode()


def test_it_refuses_bobs_client_next_to_the_field(alice_client, client_company, bobs_client):
    response = alice_client.post(URL, project_data(client_company, client=bobs_client.pk, title="Stolen"))

    html = refused(response, "client")
    assert 'value="Stolen"' in html
    assert not Project.objects.exists()


def test_it_refuses_an_unknown_currency_and_keeps_what_was_typed(alice_client, client_company):
    response = alice_client.post(URL, project_data(client_company, currency="XYZ"))

    html = refused(response, "currency")
    assert "is not an ISO 4217 currency code" in response.context["form"].errors["currency"][0]
    assert 'value="XYZ"' in html
    assert not Project.objects.exists()


def test_it_accepts_a_lowercase_currency_code(alice_client, client_company):
    alice_client.post(URL, project_data(client_company, currency="usd", price="2500.50"))

    project = Project.objects.get()
    assert project.currency == "USD"
    assert project.price == Decimal("2500.50")


@pytest.mark.parametrize(("currency", "price"), [("INR", "100.555"), ("JPY", "100.5"), ("USD", "0.001")])
def test_it_refuses_more_decimals_than_the_currency_has(alice_client, client_company, currency, price):
    response = alice_client.post(URL, project_data(client_company, currency=currency, price=price))

    html = refused(response, "price")
    assert response.context["form"].errors["price"] == [
        f"{currency} amounts have at most {0 if currency == 'JPY' else 2} decimal places."
    ]
    assert f'value="{price}"' in html
    assert not Project.objects.exists()


@pytest.mark.parametrize(("currency", "price"), [("JPY", "100"), ("KWD", "100.555"), ("INR", "100.50")])
def test_it_accepts_amounts_that_fit_the_currency(alice_client, client_company, currency, price):
    alice_client.post(URL, project_data(client_company, currency=currency, price=price))

    assert Project.objects.get().price == Decimal(price)


def test_it_refuses_a_fee_with_too_many_decimals_next_to_the_fee(alice_client, client_company):
    response = alice_client.post(URL, project_data(client_company, currency="JPY", extra_round_fee="4000.5"))

    html = refused(response, "extra_round_fee")
    assert 'value="4000.5"' in html


def test_it_refuses_a_negative_price(alice_client, client_company):
    response = alice_client.post(URL, project_data(client_company, price="-500"))

    html = refused(response, "price")
    assert response.context["form"].errors["price"] == ["Ensure this value is greater than or equal to 0."]
    assert 'value="-500"' in html
    assert not Project.objects.exists()


def test_it_refuses_an_unknown_time_zone_and_keeps_it(alice_client, client_company):
    response = alice_client.post(URL, project_data(client_company, timezone="Asia/Atlantis"))

    html = refused(response, "timezone")
    assert response.context["form"].errors["timezone"] == [
        "“Asia/Atlantis” is not a known time zone (for example Asia/Kolkata)."
    ]
    # The re-rendered select still holds what was sent, not a silently different zone.
    assert '<option value="Asia/Atlantis" selected>' in html
    assert not Project.objects.exists()


def test_it_offers_real_time_zones_including_kathmandu(alice_client, client_company):
    html = alice_client.get(URL).content.decode()

    assert '<option value="Asia/Kathmandu">' in html
    assert '<option value="America/New_York">' in html


def test_it_refuses_hourly_pricing_without_a_rate(alice_client, client_company):
    response = alice_client.post(URL, project_data(
        client_company, title="Website retainer", pricing=Project.Pricing.HOURLY, hourly_rate="0",
    ))

    html = refused(response, "hourly_rate")
    assert response.context["form"].errors["hourly_rate"] == ["Hourly projects need an hourly rate."]
    assert 'value="Website retainer"' in html
    assert not Project.objects.exists()


def test_it_creates_an_hourly_project_with_a_rate(alice_client, client_company):
    alice_client.post(URL, project_data(client_company, pricing=Project.Pricing.HOURLY, hourly_rate="1500"))

    project = Project.objects.get()
    assert project.pricing == Project.Pricing.HOURLY
    assert project.hourly_rate == Decimal("1500")


def test_it_refuses_extra_rounds_by_the_hour_without_hours(alice_client, client_company):
    response = alice_client.post(URL, project_data(
        client_company, revision_charge=Project.RevisionCharge.HOURLY, hourly_rate="1500", extra_round_hours="0",
    ))

    refused(response, "extra_round_hours")
    assert not Project.objects.exists()


def test_it_records_extra_rounds_charged_by_the_hour(alice_client, client_company):
    alice_client.post(URL, project_data(
        client_company, revision_charge=Project.RevisionCharge.HOURLY, hourly_rate="1500", extra_round_hours="3",
        free_revision_rounds="3",
    ))

    project = Project.objects.get()
    assert project.revision_charge == Project.RevisionCharge.HOURLY
    assert project.free_revision_rounds == 3
    assert project.extra_round_hours == Decimal("3")


def test_it_reads_devanagari_digits_in_the_price(alice_client, client_company):
    alice_client.post(URL, project_data(client_company, price="१२३४५.५०"))

    assert Project.objects.get().price == Decimal("12345.50")


def test_it_lets_the_browser_send_devanagari_digits(alice_client, client_company):
    """Browsers empty an <input type="number"> holding ०-९, so amounts are text inputs."""
    html = alice_client.get(URL).content.decode()

    for name, keyboard in [("price", "decimal"), ("hourly_rate", "decimal"), ("free_revision_rounds", "numeric")]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group()
        assert 'type="text"' in tag
        assert f'inputmode="{keyboard}"' in tag


def test_it_stores_a_marathi_goal_as_typed(alice_client, client_company, seed_text):
    goal = seed_text("003").splitlines()[0]

    alice_client.post(URL, project_data(client_company, title="क्लायंट योजना", goal=goal))

    project = Project.objects.get()
    assert project.title == "क्लायंट योजना"
    assert project.goal == goal


def test_it_stores_mojibake_pasted_into_the_goal_exactly(alice_client, client_company, seed_text):
    mojibake = next(line for line in seed_text("001").splitlines() if "à¤" in line)

    response = alice_client.post(URL, project_data(client_company, goal=mojibake))

    assert response.status_code == 302
    assert Project.objects.get().goal == mojibake
    page = alice_client.get(response.url)
    assert page.status_code == 200
    assert mojibake in page.content.decode()


def test_it_keeps_mojibake_typed_when_another_field_is_wrong(alice_client, client_company, seed_text):
    mojibake = next(line for line in seed_text("001").splitlines() if "à¤" in line)

    response = alice_client.post(URL, project_data(client_company, goal=mojibake, currency="XYZ"))

    html = refused(response, "currency")
    assert mojibake in html


def test_a_floating_point_price_never_reaches_the_model(freelancer, client_company):
    project = Project(owner=freelancer, client=client_company, title="Float", start_date="2026-11-01", price=1.5)

    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["price"] == [str(FLOAT_REFUSED)]
    with pytest.raises(TypeError), transaction.atomic():
        project.save()
    assert not Project.objects.exists()


def test_a_new_project_starts_in_the_freelancers_own_time_zone_on_their_date(alice_client, freelancer):
    profile = profile_for(freelancer)
    profile.timezone = "Pacific/Auckland"  # already 24 Nov there at 09:00 UTC on the 23rd
    profile.save()

    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC), tick=False):
        form = FormFields(alice_client.get(URL).content.decode()).data

    assert form["timezone"] == "Pacific/Auckland"
    assert form["start_date"] == "2026-11-24"
