"""agreements/views/accounts.py: signup — a freelancer's account, whose email is the login."""


import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agreements.forms.accounts import EMAIL_TAKEN
from tests.html import field_block

URL = reverse("agreements:signup")
User = get_user_model()


def signup_data(**overrides):
    data = {
        "first_name": "Anjali Deshpande",
        "email": "Anjali.Deshpande@Example.COM",
        "password1": "kesar-chai-at-four",
        "password2": "kesar-chai-at-four",
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_to_a_visitor(client, db):
    html = client.get(URL).content.decode()

    assert "Create your account" in html
    for name in ("first_name", "email", "password1", "password2"):
        assert f'name="{name}"' in html


def test_it_creates_a_user_named_by_the_lowercased_email(client, db):
    client.post(URL, signup_data())

    user = User.objects.get()
    assert user.username == "anjali.deshpande@example.com"
    assert user.email == "anjali.deshpande@example.com"
    assert user.first_name == "Anjali Deshpande"
    assert user.check_password("kesar-chai-at-four")


def test_it_logs_the_new_user_in_and_asks_for_a_first_client(client, db):
    response = client.post(URL, signup_data(), follow=True)

    assert response.redirect_chain == [(reverse("clients:create"), 302)]
    assert response.wsgi_request.user == User.objects.get()
    assert "Welcome to Vachan. Start by adding your first client." in response.content.decode()


@pytest.mark.parametrize("typed", ["alice@example.com", "ALICE@Example.com", "  Alice@EXAMPLE.com "])
def test_it_refuses_an_email_already_used_in_any_case(client, freelancer, typed):
    response = client.post(URL, signup_data(first_name="Alice Second", email=typed))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(EMAIL_TAKEN) in field_block(html, "email")
    assert 'value="Alice Second"' in field_block(html, "first_name")
    assert User.objects.count() == 1
    assert not response.wsgi_request.user.is_authenticated


def test_it_refuses_passwords_that_do_not_match_and_keeps_the_name_and_email(client, db):
    response = client.post(URL, signup_data(password2="kesar-chai-at-five"))

    html = response.content.decode()
    assert "The two password fields didn’t match." in field_block(html, "password2")
    assert 'value="Anjali Deshpande"' in field_block(html, "first_name")
    assert 'value="Anjali.Deshpande@Example.COM"' in field_block(html, "email")
    assert not User.objects.exists()


def test_it_refuses_a_common_password(client, db):
    response = client.post(URL, signup_data(password1="password123", password2="password123"))

    assert "This password is too common." in field_block(response.content.decode(), "password2")
    assert not User.objects.exists()


def test_it_refuses_an_email_longer_than_a_login_can_be(client, db):
    email = "a" * 140 + "@example.com"  # 152 characters: valid email, too long for the login

    response = client.post(URL, signup_data(email=email))

    assert "Ensure this value has at most 150 characters" in field_block(response.content.decode(), "email")
    assert not User.objects.exists()


def test_it_sends_a_logged_in_user_to_the_dashboard(alice_client):
    response = alice_client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:dashboard")
