"""agreements/views/scope.py: scope_item_create and scope_item_edit — deliverables, exactly."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import ChangeRequest, ScopeItem
from tests.factories import ChangeRequestFactory, ScopeItemFactory


@pytest.fixture
def project(draft_project):
    """Deliverables and deadlines are written while the project is a draft; once the client has
    agreed, they change through change requests (tests/agreements/test_agreed_terms.py)."""
    return draft_project


def create_url(project):
    return reverse("agreements:scope_item_create", args=[project.pk])


def edit_url(item):
    return reverse("agreements:scope_item_edit", args=[item.pk])


def item_data(**overrides):
    data = {
        "title": "Packaging designs",
        "quantity": "7",
        "unit": "designs",
        "description": "One per sweet box.",
        "exclusions": "Not included: printing, copywriting.",
        "position": "0",
    }
    data.update(overrides)
    return data


def test_it_adds_a_deliverable_with_its_exclusions(alice_client, project):
    response = alice_client.post(create_url(project), item_data(), follow=True)

    item = project.scope_items.get()
    assert (item.title, item.quantity, item.unit) == ("Packaging designs", Decimal("7"), "designs")
    assert item.exclusions == "Not included: printing, copywriting."
    assert "Deliverable added." in response.content.decode()


@pytest.mark.parametrize("quantity", ["0", "-3", "0.00"])
def test_it_refuses_a_quantity_that_is_not_more_than_zero(alice_client, project, quantity):
    response = alice_client.post(create_url(project), item_data(quantity=quantity))

    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == ["The quantity must be more than zero."]
    html = response.content.decode()
    assert f'value="{quantity}"' in html
    assert 'value="Packaging designs"' in html
    assert not project.scope_items.exists()


def test_it_reads_devanagari_digits_in_the_quantity(alice_client, project):
    alice_client.post(create_url(project), item_data(quantity="१२.५", unit="pages"))

    assert project.scope_items.get().quantity == Decimal("12.5")


def test_it_keeps_marathi_text_as_typed(alice_client, project, seed_text):
    line = seed_text("003").splitlines()[0]

    alice_client.post(create_url(project), item_data(title=line[:200], exclusions=line))

    item = project.scope_items.get()
    assert item.title == line[:200]
    assert item.exclusions == line


def test_it_does_not_add_to_bobs_project(bob_client, project):
    response = bob_client.post(create_url(project), item_data())

    assert response.status_code == 404
    assert not ScopeItem.objects.exists()


def test_it_edits_a_deliverable(alice_client, project):
    item = ScopeItemFactory(project=project, title="Packaging designs", quantity=Decimal("7"))

    response = alice_client.post(edit_url(item), item_data(quantity="8"), follow=True)

    item.refresh_from_db()
    assert item.quantity == Decimal("8")
    assert "Deliverable saved." in response.content.decode()


def test_it_refuses_zero_when_editing_and_keeps_the_stored_quantity(alice_client, project):
    item = ScopeItemFactory(project=project, quantity=Decimal("7"))

    response = alice_client.post(edit_url(item), item_data(quantity="0"))

    assert response.context["form"].errors["quantity"] == ["The quantity must be more than zero."]
    item.refresh_from_db()
    assert item.quantity == Decimal("7")


def test_it_shows_the_stored_deliverable_in_the_edit_form(alice_client, project):
    item = ScopeItemFactory(project=project, title="Brand style guide", exclusions="Not included: logo.")

    html = alice_client.get(edit_url(item)).content.decode()

    assert 'value="Brand style guide"' in html
    assert "Not included: logo." in html


def test_it_cannot_edit_a_deliverable_removed_by_an_approved_change(alice_client, project):
    change = ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED)
    item = ScopeItemFactory(project=project, removed_by=change)

    assert alice_client.get(edit_url(item)).status_code == 404


def test_it_cannot_edit_bobs_deliverable(bob_client, project):
    item = ScopeItemFactory(project=project, title="Packaging designs")

    assert bob_client.post(edit_url(item), item_data(title="Mine")).status_code == 404
    item.refresh_from_db()
    assert item.title == "Packaging designs"
