"""Portal personas: priya (may not approve) and rahul (may approve) at alice's client, logged in to the portal."""

import pytest
from django.test import Client
from django.urls import reverse

from clients.models import PortalAccount

PORTAL_PASSWORD = "chai-and-marigolds-42"


def give_portal_access(contact, password: str = PORTAL_PASSWORD) -> PortalAccount:
    account = PortalAccount.objects.by_email(contact.email).first() or PortalAccount(email=contact.email.lower())
    account.set_password(password)
    account.save()
    contact.account = account
    contact.portal_access = True
    contact.save(update_fields=["account", "portal_access"])
    return account


def portal_log_in(browser: Client, contact, password: str = PORTAL_PASSWORD) -> Client:
    response = browser.post(reverse("portal:login"), {"email": contact.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser


@pytest.fixture
def portal_as(db):
    """portal_as(contact): a new test browser logged in to the portal as that contact."""

    def log_in(contact) -> Client:
        give_portal_access(contact)
        return portal_log_in(Client(), contact)

    return log_in
