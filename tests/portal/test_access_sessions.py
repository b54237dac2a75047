"""Portal sessions: logging in and out, kept apart from freelancer sessions, ended by the freelancer."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from clients.portal.forms import LOGIN_INVALID
from clients.portal.sessions import SESSION_KEY
from tests.portal.conftest import PORTAL_PASSWORD, give_portal_access, portal_log_in

PORTAL_LOGIN = reverse("portal:login")
FREELANCER_LOGIN = reverse("login")


def log_in(browser, email, password=PORTAL_PASSWORD, **extra):
    return browser.post(PORTAL_LOGIN, {"email": email, "password": password}, **extra)


def sends_to_portal_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(PORTAL_LOGIN)


@pytest.mark.parametrize("typed", [
    pytest.param(str.upper, id="upper case"),
    pytest.param(str.title, id="title case"),
    pytest.param(lambda email: f"  {email}  ", id="with spaces around"),
])
def test_a_contact_logs_in_with_their_email_in_any_letter_case(contact, typed):
    give_portal_access(contact)
    browser = Client()

    response = log_in(browser, typed(contact.email))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert browser.get(reverse("portal:home")).status_code == 200


def test_a_wrong_password_says_they_do_not_match_and_starts_no_session(contact):
    give_portal_access(contact)
    browser = Client()

    response = log_in(browser, contact.email, PORTAL_PASSWORD.upper())

    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert escape(str(LOGIN_INVALID)) in response.content.decode()
    assert SESSION_KEY not in browser.session
    assert sends_to_portal_login(browser.get(reverse("portal:home")))


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(contact):
    give_portal_access(contact)

    response = log_in(Client(), "nobody@client.example")

    assert response.status_code == 200
    assert escape(str(LOGIN_INVALID)) in response.content.decode()


def test_logging_in_starts_a_new_session_key_and_the_old_one_opens_nothing(contact):
    give_portal_access(contact)
    browser = Client()
    planted = browser.session  # a session that existed before, e.g. one an attacker fixed
    planted["left_over"] = "from before"
    planted.save()
    key_before = browser.cookies[settings.SESSION_COOKIE_NAME].value

    portal_log_in(browser, contact)

    key_after = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert "left_over" not in browser.session
    assert not SessionStore().exists(key_before)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = key_before
    assert sends_to_portal_login(attacker.get(reverse("portal:home")))
    assert browser.get(reverse("portal:home")).status_code == 200


def test_logging_out_ends_the_session(portal_as, contact):
    priya = portal_as(contact)
    key = priya.cookies[settings.SESSION_COOKIE_NAME].value

    response = priya.post(reverse("portal:logout"))

    assert response.status_code == 302
    assert response["Location"] == PORTAL_LOGIN
    assert "You have logged out of the portal." in priya.get(PORTAL_LOGIN).content.decode()
    assert sends_to_portal_login(priya.get(reverse("portal:home")))
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = key
    assert sends_to_portal_login(copy.get(reverse("portal:home")))


def test_logging_out_needs_a_post(portal_as, contact):
    priya = portal_as(contact)

    assert priya.get(reverse("portal:logout")).status_code == 405
    assert priya.get(reverse("portal:home")).status_code == 200


def test_alices_freelancer_session_does_not_open_the_portal(alice_client, contact):
    give_portal_access(contact)

    response = alice_client.get(reverse("portal:home"))

    assert sends_to_portal_login(response)
    assert response["Location"] == f"{PORTAL_LOGIN}?next=/portal/"


@pytest.mark.parametrize("path", ["/", "/clients/", "/projects/", "/admin/"])
def test_a_portal_session_does_not_open_freelancer_pages(portal_as, contact, path):
    priya = portal_as(contact)

    response = priya.get(path)

    assert response.status_code == 302
    login = "/admin/login/" if path.startswith("/admin/") else FREELANCER_LOGIN
    assert response["Location"].startswith(login)


def test_alice_turning_off_portal_access_ends_the_contacts_session_and_login(alice_client, portal_as, contact):
    priya = portal_as(contact)
    assert priya.get(reverse("portal:home")).status_code == 200

    response = alice_client.post(reverse("clients:contact_portal_end", args=[contact.pk]))

    assert response.status_code == 302
    assert "Priya can no longer use the portal." in alice_client.get(response["Location"]).content.decode()
    assert sends_to_portal_login(priya.get(reverse("portal:home")))
    refused = log_in(Client(), contact.email)
    assert refused.status_code == 200
    assert escape(str(LOGIN_INVALID)) in refused.content.decode()


def test_another_freelancer_cannot_turn_off_alices_contact(bob_client, portal_as, contact):
    priya = portal_as(contact)

    response = bob_client.post(reverse("clients:contact_portal_end", args=[contact.pk]))

    assert response.status_code == 404
    assert priya.get(reverse("portal:home")).status_code == 200


@pytest.mark.parametrize("page", ["portal:home", "portal:help_list", "portal:login"])
def test_portal_pages_are_never_stored_by_the_browser(portal_as, contact, page):
    browser = portal_as(contact) if page != "portal:login" else Client()

    response = browser.get(reverse(page))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_a_portal_page_allows_no_inline_script_and_cannot_be_framed(portal_as, contact):
    response = portal_as(contact).get(reverse("portal:home"))

    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its script"
    nonces = [n.removeprefix("'nonce-").removesuffix("'") for n in policy["script-src"] if n.startswith("'nonce-")]
    for tag in scripts:
        # Every script is a file from this site, or carries the nonce the header allows.
        nonce = re.search(r'nonce="([^"]+)"', tag)
        assert re.search(r'src="/static/', tag) or (nonce and nonce.group(1) in nonces), tag


def test_a_portal_pages_policy_carries_a_nonce_matching_its_scripts(portal_as, contact):
    response = portal_as(contact).get(reverse("portal:home"))

    policy = _directives(response["Content-Security-Policy"])
    nonces = [n for n in policy["script-src"] if n.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
