"""clients/views.py: client_create — adding a client, and text pasted in as it came."""

import re

from django.urls import reverse
from django.utils.html import escape

from clients.models import Client

URL = reverse("clients:create")


def client_data(**overrides):
    data = {"name": "Sahyadri Foods", "email": "accounts@sahyadri.example", "phone": "+91 20 2553 0000",
            "address": "Pune", "notes": ""}
    data.update(overrides)
    return data


def mojibake_line(seed_text) -> str:
    """The garbled line of seed 001: UTF-8 Hindi once decoded as Windows-1252."""
    (line, *_) = [line for line in seed_text("001").splitlines() if "à¤" in line]
    return line


def test_it_shows_an_empty_form(alice_client):
    html = alice_client.get(URL).content.decode()

    assert "Add a client" in html
    for name in ("name", "email", "phone", "address", "notes"):
        assert f'name="{name}"' in html


def test_it_adds_the_client_to_alice_and_opens_it(alice_client, freelancer):
    response = alice_client.post(URL, client_data(), follow=True)

    client = Client.objects.get()
    assert (client.owner, client.name, client.email) == (freelancer, "Sahyadri Foods", "accounts@sahyadri.example")
    assert response.redirect_chain == [(client.get_absolute_url(), 302)]
    assert "Client added. Add the people you deal with there." in response.content.decode()


def test_it_ignores_an_owner_sent_with_the_form(alice_client, freelancer, other_freelancer):
    alice_client.post(URL, client_data(owner=other_freelancer.pk))

    assert Client.objects.get().owner == freelancer


def test_it_asks_for_a_name_and_keeps_what_was_typed(alice_client):
    response = alice_client.post(URL, client_data(name="  "))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div id="div_id_name".*?This field is required\.', html, re.S)
    assert 'value="accounts@sahyadri.example"' in html
    assert not Client.objects.exists()


def test_it_stores_pasted_mojibake_exactly_and_shows_it_back(alice_client, seed_text):
    line = mojibake_line(seed_text)

    response = alice_client.post(URL, client_data(notes=line), follow=True)

    assert response.status_code == 200
    assert Client.objects.get().notes == line
    assert escape(line) in response.content.decode()


def test_it_keeps_devanagari_names_and_line_breaks_in_notes(alice_client, seed_text):
    name = seed_text("003").splitlines()[0][:60].strip()
    notes = "पहिला मसुदा: १५ डिसेंबर\nअंतिम: २० डिसेंबर"

    response = alice_client.post(URL, client_data(name=name, notes=notes), follow=True)

    client = Client.objects.get()
    assert (client.name, client.notes) == (name, notes)
    html = response.content.decode()
    assert f"<h1 class=\"h3 mb-1\">{escape(name)}</h1>" in html
    assert f'<p class="preserve-lines">{notes}</p>' in html
