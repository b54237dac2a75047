"""clients.models.Contact: one contact per email per client, whatever the letter case."""

import pytest
from django.db import IntegrityError, transaction

from clients.models import Contact
from tests.factories import ContactFactory


def test_the_database_refuses_the_same_email_twice_for_one_client_in_any_case(client_company):
    ContactFactory(client=client_company, email="priya@sahyadri.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(client=client_company, email="Priya@Sahyadri.example")


def test_two_clients_may_share_a_contact_email(client_company):
    ContactFactory(client=client_company, email="priya@sahyadri.example")

    ContactFactory(email="Priya@Sahyadri.example")

    assert Contact.objects.filter(email__iexact="priya@sahyadri.example").count() == 2
