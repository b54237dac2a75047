"""agreements/views/scope.py: revision_create — the price of a round is shown before it is taken."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import ChangeRequest, Project, RevisionRequest
from tests.factories import NOW, ChangeRequestFactory, ContactFactory, RevisionRequestFactory, ScopeItemFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def item(project):
    """Project policy (factory): 2 free rounds, then ₹4,000 a round."""
    return ScopeItemFactory(project=project, title="Packaging designs")


def url(item):
    return reverse("agreements:revision_create", args=[item.pk])


def quote_on_page(browser, item):
    response = browser.get(url(item))
    assert response.status_code == 200
    return response.context["quote"].describe(), response.content.decode()


def use_rounds(item, count):
    for number in range(1, count + 1):
        RevisionRequestFactory(scope_item=item, round_number=number)


def test_the_first_round_is_free(alice_client, item):
    text, html = quote_on_page(alice_client, item)

    assert text == "Round 1 of 2 free — no charge."
    assert "Round 1 of 2 free — no charge." in html
    assert "Record this round" in html


def test_it_says_what_the_third_round_costs_before_saving(alice_client, item):
    use_rounds(item, 2)

    text, html = quote_on_page(alice_client, item)

    assert text == "Round 3 — costs ₹4,000.00 (2 free rounds are included)."
    assert "Round 3 — costs ₹4,000.00 (2 free rounds are included)." in html
    assert "Record this billable round" in html
    assert item.revisions.count() == 2


def test_it_prices_an_hourly_round_as_hours_times_rate(alice_client, project, item):
    project.revision_charge = Project.RevisionCharge.HOURLY
    project.extra_round_hours = Decimal("3")
    project.hourly_rate = Decimal("1500")
    project.save()
    use_rounds(item, 2)

    _, html = quote_on_page(alice_client, item)

    assert "Round 3 — costs ₹4,500.00 (2 free rounds are included)." in html


def test_it_rounds_an_hourly_round_once_to_the_paisa(alice_client, project, item):
    project.revision_charge = Project.RevisionCharge.HOURLY
    project.extra_round_hours = Decimal("1.25")
    project.hourly_rate = Decimal("1333.33")
    project.free_revision_rounds = 0
    project.save()

    _, html = quote_on_page(alice_client, item)

    assert "Round 1 — costs ₹1,666.66 (0 free rounds are included)." in html  # 1666.6625 → 1666.66


def test_posting_records_a_free_round(alice_client, item, contact):
    response = alice_client.post(url(item), {"requested_by": contact.pk, "description": "Warmer colours."}, follow=True)

    revision = item.revisions.get()
    assert (revision.round_number, revision.charge) == (1, Decimal("0"))
    assert revision.requested_by == contact
    assert revision.created_at == NOW
    assert "Revision round 1 recorded (included in the price)." in response.content.decode()


def test_posting_records_the_round_with_the_charge_shown(alice_client, item):
    use_rounds(item, 2)

    response = alice_client.post(url(item), {"requested_by": "", "description": "Bigger logo."}, follow=True)

    revision = item.revisions.get(round_number=3)
    assert revision.charge == Decimal("4000")
    assert revision.description == "Bigger logo."
    html = response.content.decode()
    assert "Revision round 3 recorded; it will be billed." in html
    assert "3 used of 2 free · 0 free left" in html


def test_posting_records_the_hourly_charge(alice_client, project, item):
    project.revision_charge = Project.RevisionCharge.HOURLY
    project.extra_round_hours = Decimal("3")
    project.hourly_rate = Decimal("1500")
    project.save()
    use_rounds(item, 2)

    alice_client.post(url(item), {"description": "Another font."})

    assert item.revisions.get(round_number=3).charge == Decimal("4500")


def test_it_asks_what_should_change_and_records_nothing(alice_client, item):
    response = alice_client.post(url(item), {"description": ""})

    assert "description" in response.context["form"].errors
    assert "Round 1 of 2 free — no charge." in response.content.decode()
    assert not RevisionRequest.objects.exists()


def test_it_offers_only_this_clients_contacts(alice_client, item, contact):
    stranger = ContactFactory(name="Someone else")

    response = alice_client.post(url(item), {"requested_by": stranger.pk, "description": "x"})

    assert "requested_by" in response.context["form"].errors
    assert list(response.context["form"].fields["requested_by"].queryset) == [contact]
    assert not RevisionRequest.objects.exists()


def test_it_keeps_a_marathi_description(alice_client, item, seed_text):
    line = seed_text("003").splitlines()[0]

    alice_client.post(url(item), {"description": line})

    assert item.revisions.get().description == line


def test_a_removed_deliverable_cannot_have_revisions(alice_client, project, item):
    change = ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED)
    item.removed_by = change
    item.save()

    assert alice_client.get(url(item)).status_code == 404
    assert alice_client.post(url(item), {"description": "x"}).status_code == 404
    assert not RevisionRequest.objects.exists()


def test_bob_cannot_see_or_record_a_round(bob_client, item):
    assert bob_client.get(url(item)).status_code == 404
    assert bob_client.post(url(item), {"description": "x"}).status_code == 404
    assert not RevisionRequest.objects.exists()
