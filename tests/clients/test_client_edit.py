"""clients/views.py: client_edit — changing a client's details."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from clients.models import Client


def url(client):
    return reverse("clients:edit", args=[client.pk])


def edit_data(client, **overrides):
    """The form as the browser posts it back unchanged, plus the overrides."""
    data = {"name": client.name, "email": client.email, "phone": client.phone, "address": client.address,
            "notes": client.notes}
    data.update(overrides)
    return data


@pytest.fixture
def mojibake(seed_text) -> str:
    (line, *_) = [line for line in seed_text("001").splitlines() if "à¤" in line]
    return line


def test_it_shows_the_client_as_stored(alice_client, client_company):
    client_company.phone = "+91 20 2553 0000"
    client_company.notes = "Pays on the 5th."
    client_company.save()

    html = alice_client.get(url(client_company)).content.decode()

    assert "Edit Sahyadri Foods" in html
    assert 'value="Sahyadri Foods"' in html
    assert 'value="+91 20 2553 0000"' in html
    assert ">\nPays on the 5th.</textarea>" in html  # browsers drop the first newline


def test_it_saves_changes_and_says_so(alice_client, client_company, freelancer):
    response = alice_client.post(url(client_company), edit_data(client_company, name="Sahyadri Foods Pvt Ltd"),
                                 follow=True)

    client_company.refresh_from_db()
    assert client_company.name == "Sahyadri Foods Pvt Ltd"
    assert client_company.owner == freelancer
    assert response.redirect_chain == [(client_company.get_absolute_url(), 302)]
    assert "Client saved." in response.content.decode()


def test_it_refuses_a_bad_email_and_keeps_what_was_typed(alice_client, client_company):
    response = alice_client.post(url(client_company), edit_data(
        client_company, name="Sahyadri Foods Pvt Ltd", email="accounts@sahyadri", phone="020 2553",
    ))

    html = response.content.decode()
    assert re.search(r'<div id="div_id_email".*?Enter a valid email address\.', html, re.S)
    assert 'value="Sahyadri Foods Pvt Ltd"' in html
    assert 'value="accounts@sahyadri"' in html
    assert 'value="020 2553"' in html
    client_company.refresh_from_db()
    assert client_company.name == "Sahyadri Foods"


def test_it_stores_pasted_mojibake_exactly_and_shows_it_in_the_form(alice_client, client_company, mojibake):
    response = alice_client.post(url(client_company), edit_data(client_company, notes=mojibake))

    assert response.status_code == 302
    client_company.refresh_from_db()
    assert client_company.notes == mojibake
    assert f">\n{escape(mojibake)}</textarea>" in alice_client.get(url(client_company)).content.decode()


def test_it_cannot_move_the_client_to_another_freelancer(alice_client, client_company, freelancer, other_freelancer):
    alice_client.post(url(client_company), edit_data(client_company, owner=other_freelancer.pk))

    assert Client.objects.get(pk=client_company.pk).owner == freelancer
