"""Passwords: how they are stored, changed, and reset by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

import config.settings

LOGIN = reverse("login")
DASHBOARD = reverse("agreements:dashboard")
NEW_PASSWORD = "monsoon-mango-lassi"


def test_it_hashes_with_argon2_first():
    # The suite swaps in a fast hasher (tests/conftest.py); the configured list is the module's.
    assert config.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_stores_a_new_account_s_password_as_argon2(client, db, settings):
    settings.PASSWORD_HASHERS = config.settings.PASSWORD_HASHERS

    client.post(reverse("agreements:signup"), {
        "first_name": "Anjali", "email": "anjali@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })

    assert get_user_model().objects.get().password.startswith("argon2$argon2id$")


def test_it_changes_the_password_and_keeps_the_user_logged_in(alice_client, freelancer):
    response = alice_client.post(reverse("password_change"), {
        "old_password": "correct horse battery", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, follow=True)

    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "Your password was changed." in response.content.decode()
    freelancer.refresh_from_db()
    assert freelancer.check_password(NEW_PASSWORD)
    assert alice_client.get(DASHBOARD).status_code == 200


def test_it_refuses_to_change_the_password_without_the_old_one(alice_client, freelancer):
    response = alice_client.post(reverse("password_change"), {
        "old_password": "wrong horse", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    freelancer.refresh_from_db()
    assert freelancer.check_password("correct horse battery")


def reset_link(message) -> str:
    match = re.search(r"https?://testserver(/accounts/reset/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("typed", ["alice@example.com", "Alice@EXAMPLE.com"])
def test_it_emails_a_reset_link(client, freelancer, mailoutbox, typed):
    response = client.post(reverse("password_reset"), {"email": typed}, follow=True)

    assert "Check your email" in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Vachan password"
    assert "Someone asked to reset the password of your Vachan account (alice@example.com)." in message.body


def test_it_sets_the_new_password_from_the_emailed_link(client, freelancer, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})

    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    assert 'name="new_password1"' in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, follow=True)

    assert "Your new password is set." in done.content.decode()
    freelancer.refresh_from_db()
    assert freelancer.check_password(NEW_PASSWORD)
    logged_in = client.post(LOGIN, {"username": "alice@example.com", "password": NEW_PASSWORD})
    assert logged_in["Location"] == DASHBOARD


def test_it_refuses_a_reset_link_used_already(client, freelancer, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    link = reset_link(mailoutbox[0])
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "This link is no longer valid: it was used already or has expired." in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_it_sends_nothing_for_an_unknown_email_and_says_the_same(client, freelancer, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your email" in response.content.decode()
    assert mailoutbox == []
