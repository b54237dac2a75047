"""clients/views.py: contact_create — adding a person at a client, and who may approve."""


import pytest
from django.urls import reverse

from clients.models import CONTACT_EMAIL_TAKEN, Contact
from tests.factories import ClientFactory, ContactFactory
from tests.html import field_block


def url(client):
    return reverse("clients:contact_create", args=[client.pk])


def contact_data(**overrides):
    data = {"name": "मीरा देशपांडे", "email": "meera@sahyadri.example", "title": "Marketing head",
            "may_approve": "on", "receives_summaries": "on", "preferred_language": Contact.Language.MARATHI}
    data.update(overrides)
    return data


def test_it_shows_an_empty_form_under_the_client_s_name(alice_client, client_company):
    html = alice_client.get(url(client_company)).content.decode()

    assert "Add a contact" in html
    assert f'<a href="{client_company.get_absolute_url()}">Sahyadri Foods</a>' in html


def test_it_adds_the_contact_to_the_client(alice_client, client_company):
    response = alice_client.post(url(client_company), contact_data(), follow=True)

    contact = Contact.objects.get()
    assert contact.client == client_company
    assert (contact.name, contact.email, contact.title) == ("मीरा देशपांडे", "meera@sahyadri.example", "Marketing head")
    assert (contact.may_approve, contact.receives_summaries) == (True, True)
    assert contact.preferred_language == Contact.Language.MARATHI
    assert response.redirect_chain == [(client_company.get_absolute_url(), 302)]
    assert "Contact added." in response.content.decode()
    assert "मीरा देशपांडे" in response.content.decode()


def test_it_leaves_boxes_unticked_when_not_sent(alice_client, client_company):
    data = contact_data()
    del data["may_approve"], data["receives_summaries"]

    alice_client.post(url(client_company), data)

    contact = Contact.objects.get()
    assert (contact.may_approve, contact.receives_summaries) == (False, False)


def test_it_refuses_a_bad_email_and_keeps_everything_typed(alice_client, client_company):
    response = alice_client.post(url(client_company), contact_data(email="meera@sahyadri"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in field_block(html, "email")
    assert 'value="meera@sahyadri"' in field_block(html, "email")
    assert 'value="मीरा देशपांडे"' in field_block(html, "name")
    assert 'value="Marketing head"' in field_block(html, "title")
    assert "checked" in field_block(html, "may_approve")
    assert "checked" in field_block(html, "receives_summaries")
    assert '<option value="mr" selected>' in field_block(html, "preferred_language")
    assert not Contact.objects.exists()


@pytest.mark.parametrize("typed", ["priya@sahyadri.example", "Priya@Sahyadri.EXAMPLE"])
def test_it_refuses_an_email_the_client_already_has_next_to_the_field(alice_client, client_company, typed):
    ContactFactory(client=client_company, name="Priya", email="priya@sahyadri.example")

    response = alice_client.post(url(client_company), contact_data(email=typed))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(CONTACT_EMAIL_TAKEN) in field_block(html, "email")
    assert 'value="मीरा देशपांडे"' in field_block(html, "name")
    assert Contact.objects.count() == 1


def test_it_allows_the_same_email_at_another_client(alice_client, freelancer, client_company):
    ContactFactory(client=ClientFactory(owner=freelancer), email="meera@sahyadri.example")

    response = alice_client.post(url(client_company), contact_data())

    assert response.status_code == 302
    assert client_company.contacts.get().email == "meera@sahyadri.example"
