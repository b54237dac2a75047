"""Real bad input: the mis-decoded line of seed 001 pasted into every free-text field is stored
exactly as typed and shown back — never "fixed", never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import ChangeRequest, Project, RevisionRequest, ScopeItem
from clients.models import Contact
from tests.factories import ScopeItemFactory


@pytest.fixture
def draft(project):
    project.status = Project.Status.DRAFT
    project.save()
    return project


def test_a_change_request_keeps_it(alice_client, project, contact, mojibake):
    response = alice_client.post(
        reverse("agreements:change_create", args=[project.pk]),
        {
            "requested_by": contact.pk, "on_behalf_of": mojibake, "purpose": mojibake, "needed_by": "2027-01-10",
            "description": mojibake, "price_delta": "0",
            "dates-TOTAL_FORMS": "0", "dates-INITIAL_FORMS": "0",
            "additions-TOTAL_FORMS": "0", "additions-INITIAL_FORMS": "0",
        },
    )

    change = ChangeRequest.objects.get()
    assert (change.description, change.purpose, change.on_behalf_of) == (mojibake, mojibake, mojibake)
    assert mojibake in alice_client.get(response.url).content.decode()


def test_a_revision_request_keeps_it(alice_client, project, mojibake):
    item = ScopeItemFactory(project=project)

    alice_client.post(reverse("agreements:revision_create", args=[item.pk]), {"description": mojibake})

    assert RevisionRequest.objects.get().description == mojibake


def test_a_deliverable_keeps_it(alice_client, draft, mojibake):
    alice_client.post(
        reverse("agreements:scope_item_create", args=[draft.pk]),
        {"title": mojibake, "quantity": "1", "exclusions": mojibake, "position": "0"},
    )

    item = ScopeItem.objects.get()
    assert (item.title, item.exclusions) == (mojibake, mojibake)
    assert mojibake in alice_client.get(draft.get_absolute_url()).content.decode()


def test_a_contact_keeps_it(alice_client, client_company, mojibake):
    alice_client.post(
        reverse("clients:contact_create", args=[client_company.pk]),
        {"name": mojibake, "email": "x@client.example", "title": mojibake, "preferred_language": "hi"},
    )

    contact = Contact.objects.get()
    assert (contact.name, contact.title) == (mojibake, mojibake)
    assert mojibake in alice_client.get(client_company.get_absolute_url()).content.decode()


def test_a_scope_addition_keeps_it(alice_client, project, contact, mojibake):
    alice_client.post(
        reverse("agreements:change_create", args=[project.pk]),
        {
            "requested_by": contact.pk, "needed_by": "2027-01-10", "description": "Add one", "price_delta": "10",
            "dates-TOTAL_FORMS": "0", "dates-INITIAL_FORMS": "0",
            "additions-TOTAL_FORMS": "1", "additions-INITIAL_FORMS": "0",
            "additions-0-title": mojibake, "additions-0-quantity": "1", "additions-0-exclusions": mojibake,
        },
    )

    addition = ChangeRequest.objects.get().scope_additions.get()
    assert (addition.title, addition.exclusions, addition.quantity) == (mojibake, mojibake, Decimal("1"))
