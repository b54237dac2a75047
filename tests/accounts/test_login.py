"""config/urls.py: logging in with an email (EmailAuthenticationForm) and logging out."""

import re

import pytest
from django.urls import reverse

from agreements.forms.accounts import INVALID_LOGIN

LOGIN = reverse("login")
LOGOUT = reverse("logout")
DASHBOARD = reverse("agreements:dashboard")


@pytest.mark.parametrize("typed", ["alice@example.com", "Alice@Example.COM", " ALICE@EXAMPLE.COM "])
def test_it_logs_in_with_the_email_in_any_case(client, freelancer, typed):
    response = client.post(LOGIN, {"username": typed, "password": "correct horse battery"})

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_it_asks_for_an_email_not_a_username(client, db):
    html = client.get(LOGIN).content.decode()

    assert 'type="email" name="username"' in html
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Email<', html)


def test_it_refuses_a_wrong_password_and_keeps_the_email(client, freelancer):
    response = client.post(LOGIN, {"username": "alice@example.com", "password": "wrong horse"})

    assert response.status_code == 200
    html = response.content.decode()
    assert str(INVALID_LOGIN) in html
    assert "correct username" not in html
    assert 'value="alice@example.com"' in html
    assert not response.wsgi_request.user.is_authenticated


def test_it_returns_to_the_page_asked_for(client, freelancer):
    wanted = reverse("clients:list")

    response = client.post(LOGIN, {"username": "alice@example.com", "password": "correct horse battery",
                                   "next": wanted})

    assert response["Location"] == wanted


def test_it_never_returns_to_another_site(client, freelancer):
    response = client.post(LOGIN, {"username": "alice@example.com", "password": "correct horse battery",
                                   "next": "https://evil.example/steal"})

    assert response["Location"] == DASHBOARD


def test_it_logs_out_on_post(alice_client):
    response = alice_client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert alice_client.get(DASHBOARD)["Location"] == f"{LOGIN}?next=/"


def test_it_does_not_log_out_on_a_plain_link(alice_client):
    response = alice_client.get(LOGOUT)

    assert response.status_code == 405
    assert alice_client.get(DASHBOARD).status_code == 200


def test_it_shows_a_log_out_button_that_posts(alice_client):
    html = alice_client.get(DASHBOARD).content.decode()

    assert f'<form method="post" action="{LOGOUT}">' in html
