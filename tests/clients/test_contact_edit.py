"""clients/views.py: contact_edit — changing a contact, e.g. who may approve."""


from django.urls import reverse

from clients.models import CONTACT_EMAIL_TAKEN, Contact
from tests.factories import ContactFactory
from tests.html import field_block


def url(contact):
    return reverse("clients:contact_edit", args=[contact.pk])


def edit_data(contact, **overrides):
    """The form as the browser posts it back unchanged (unticked boxes are not sent), plus the overrides."""
    data = {"name": contact.name, "email": contact.email, "title": contact.title,
            "preferred_language": contact.preferred_language}
    data.update({name: "on" for name in ("may_approve", "receives_summaries") if getattr(contact, name)})
    data.update(overrides)
    return data


def test_it_shows_the_contact_as_stored(alice_client, approver):
    html = alice_client.get(url(approver)).content.decode()

    assert "Edit Rahul" in html
    assert f'value="{approver.email}"' in field_block(html, "email")
    assert "checked" in field_block(html, "may_approve")
    assert "checked" not in field_block(html, "receives_summaries")
    assert '<option value="en" selected>' in field_block(html, "preferred_language")


def test_it_saves_changes_and_returns_to_the_client(alice_client, contact, client_company):
    response = alice_client.post(url(contact), edit_data(
        contact, title="Accounts", may_approve="on", preferred_language=Contact.Language.HINDI,
    ), follow=True)

    contact.refresh_from_db()
    assert (contact.title, contact.may_approve, contact.preferred_language) == ("Accounts", True, "hi")
    assert contact.client == client_company
    assert response.redirect_chain == [(client_company.get_absolute_url(), 302)]
    assert "Contact saved." in response.content.decode()


def test_it_takes_away_approval_when_the_box_is_unticked(alice_client, approver):
    data = edit_data(approver)
    del data["may_approve"]

    alice_client.post(url(approver), data)

    approver.refresh_from_db()
    assert approver.may_approve is False


def test_it_keeps_the_contact_s_own_email(alice_client, contact):
    response = alice_client.post(url(contact), edit_data(contact, name="Priya Kulkarni"))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Priya Kulkarni"


def test_it_refuses_a_bad_email_and_keeps_everything_typed(alice_client, contact):
    response = alice_client.post(url(contact), edit_data(
        contact, name="Priya Kulkarni", email="priya at sahyadri", receives_summaries="on",
    ))

    html = response.content.decode()
    assert "Enter a valid email address." in field_block(html, "email")
    assert 'value="priya at sahyadri"' in field_block(html, "email")
    assert 'value="Priya Kulkarni"' in field_block(html, "name")
    assert "checked" in field_block(html, "receives_summaries")
    contact.refresh_from_db()
    assert contact.name == "Priya"


def test_it_refuses_another_contact_s_email_at_the_same_client(alice_client, contact, approver):
    response = alice_client.post(url(contact), edit_data(contact, email=approver.email.upper()))

    assert response.status_code == 200
    assert str(CONTACT_EMAIL_TAKEN) in field_block(response.content.decode(), "email")
    contact.refresh_from_db()
    assert contact.email != approver.email


def test_it_cannot_move_the_contact_to_another_client(alice_client, contact, client_company, freelancer):
    other = ContactFactory(client__owner=freelancer).client

    alice_client.post(url(contact), edit_data(contact, client=other.pk))

    contact.refresh_from_db()
    assert contact.client == client_company
