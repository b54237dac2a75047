"""Giving a contact portal access and logging in as them (the `portal_as` fixture, in tests/conftest.py, does both)."""

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

