"""alice invites a contact to the portal: the emailed link, what the database keeps, and using it once."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from agreements.alerts.calendar_feed import feed_create, feed_open
from agreements.models import FreelancerProfile
from clients.invitations import LINK_DAMAGED, LINK_EXPIRED, LINK_USED, SIGNER_SALT
from clients.models import Invitation, PortalAccount
from clients.portal.forms import LOGIN_INVALID, PASSWORDS_DIFFER
from tests.factories import NOW
from tests.html import FormFields, field_block, flat
from tests.portal.conftest import give_portal_access, portal_log_in

NEW_PASSWORD = "monsoon-kite-ladder-81"
LINK = re.compile(r"https?://[^/\s]+/portal/invitation/([^/\s\"<]+)/")


def invite(alice_client, contact) -> str:
    """alice presses "Invite" for the contact; returns the token from the link in the email."""
    from django.core import mail

    sent_before = len(mail.outbox)
    response = alice_client.post(reverse("clients:contact_invite", args=[contact.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == sent_before + 1
    return LINK.search(mail.outbox[-1].body).group(1)


def open_link(browser: Client, token: str):
    return browser.get(reverse("portal:invitation", args=[token]))


def set_password(browser: Client, password=NEW_PASSWORD, again=None):
    return browser.post(reverse("portal:welcome"), {
        "password1": password, "password2": password if again is None else again, "timezone": "Asia/Kolkata",
    })


def invitation_error(response) -> str:
    """The "This invitation cannot be used" page (400): the reason it gives, as one line of text."""
    assert response.status_code == 400, response.content.decode()[:2000]
    match = re.search(r'id="invitation-error">(.*?)</div>', response.content.decode(), re.S)
    assert match, response.content.decode()[:2000]
    return flat(match.group(1))


def says(message, **params) -> str:
    text = str(message) % params if params else str(message)
    return flat(escape(text))


def test_inviting_emails_the_contact_one_link_with_help_and_a_reply_to_alice(alice_client, contact, mailoutbox):
    response = alice_client.post(reverse("clients:contact_invite", args=[contact.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[contact.client_id])
    (message,) = mailoutbox
    assert message.to == [f"Priya <{contact.email}>"]
    assert message.reply_to == ["Alice <alice@example.com>"]
    links = LINK.findall(message.body)
    assert len(links) == 1
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://testserver/portal/invitation/{links[0]}/"' in html
    assert "Need help?" in message.body
    assert "Need help?" in html


def test_the_database_keeps_only_the_sha256_of_the_secret(alice_client, contact):
    token = invite(alice_client, contact)

    invitation = Invitation.objects.get(contact=contact)
    secret = signing.Signer(salt=SIGNER_SALT).unsign(token)
    assert invitation.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(getattr(invitation, field.attname)) for field in Invitation._meta.concrete_fields)
    assert secret not in stored
    assert token not in stored


def test_opening_the_link_uses_nothing_up_and_moves_on_to_a_welcome_address_without_the_token(
    alice_client, contact
):
    token = invite(alice_client, contact)
    mail_scanner, person = Client(), Client()

    scanned = open_link(mail_scanner, token)
    opened = open_link(person, token)

    assert scanned.status_code == 302
    assert opened.status_code == 302
    assert opened["Location"] == "/portal/welcome/"
    assert Invitation.objects.get(contact=contact).used_at is None
    welcome = person.get(opened["Location"])
    assert welcome.status_code == 200
    assert token not in welcome.content.decode()
    assert "Welcome, Priya" in welcome.content.decode()


def test_the_welcome_page_sends_no_address_to_other_sites(alice_client, contact):
    """The token has left the address bar before any page loads, and no page sends its address elsewhere."""
    token = invite(alice_client, contact)
    person = Client()

    opened = open_link(person, token)
    welcome = person.get(opened["Location"])

    assert opened["Referrer-Policy"] == "same-origin"
    assert welcome["Referrer-Policy"] == "same-origin"
    assert "no-store" in welcome["Cache-Control"]


def test_setting_a_password_logs_the_contact_in_and_uses_the_invitation(alice_client, contact, frozen_now):
    token = invite(alice_client, contact)
    person = Client()
    open_link(person, token)

    response = set_password(person)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    home = person.get(reverse("portal:home"))
    assert home.status_code == 200
    assert f"Next time, log in with {contact.email}" in home.content.decode()
    assert Invitation.objects.get(contact=contact).used_at == frozen_now
    contact.refresh_from_db()
    assert contact.portal_access is True
    assert contact.account.check_password(NEW_PASSWORD)
    assert contact.timezone == "Asia/Kolkata"
    portal_log_in(Client(), contact, NEW_PASSWORD)


def test_a_used_link_says_so_when_opened_again(alice_client, contact):
    token = invite(alice_client, contact)
    first = Client()
    open_link(first, token)
    set_password(first)

    again = open_link(Client(), token)

    assert invitation_error(again) == says(LINK_USED)
    assert "already been used" in invitation_error(again)


def test_two_people_with_the_link_open_cannot_both_set_a_password(alice_client, contact):
    token = invite(alice_client, contact)
    first, second = Client(), Client()
    open_link(first, token)
    open_link(second, token)
    set_password(first)

    late = set_password(second, "someone-elses-pass-77")

    assert invitation_error(late) == says(LINK_USED)
    contact.refresh_from_db()
    assert contact.account.check_password(NEW_PASSWORD)
    assert second.get(reverse("portal:home"))["Location"].startswith(reverse("portal:login"))


def test_an_expired_link_says_so_and_names_the_freelancer(alice_client, contact, frozen_now):
    token = invite(alice_client, contact)

    with time_machine.travel(NOW + datetime.timedelta(days=7, seconds=1), tick=False):
        response = open_link(Client(), token)

    assert invitation_error(response) == says(LINK_EXPIRED, freelancer="Alice")
    assert "Ask Alice to send a new invitation" in invitation_error(response)
    assert Invitation.objects.get(contact=contact).used_at is None


def test_a_link_still_works_on_its_last_day(alice_client, contact, frozen_now):
    token = invite(alice_client, contact)

    with time_machine.travel(NOW + datetime.timedelta(days=6, hours=23), tick=False):
        response = open_link(Client(), token)

    assert response.status_code == 302
    assert response["Location"] == "/portal/welcome/"


def test_a_link_that_expires_while_the_welcome_page_is_open_sets_no_password(alice_client, contact, frozen_now):
    token = invite(alice_client, contact)
    person = Client()
    open_link(person, token)

    with time_machine.travel(NOW + datetime.timedelta(days=7, minutes=1), tick=False):
        response = set_password(person)

    assert invitation_error(response) == says(LINK_EXPIRED, freelancer="Alice")
    assert Invitation.objects.get(contact=contact).used_at is None
    assert not PortalAccount.objects.by_email(contact.email).exists()


def _one_character_changed(token: str, index: int) -> str:
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index + 1:]


@pytest.mark.parametrize("damage", [
    pytest.param(lambda t: _one_character_changed(t, 5), id="a character of the secret changed"),
    pytest.param(lambda t: _one_character_changed(t, len(t) - 3), id="a character of the signature changed"),
    pytest.param(lambda t: t[:-1], id="the last character cut off"),
    pytest.param(lambda t: t[: len(t) // 2], id="cut off in the middle"),
    pytest.param(lambda t: t.split(":")[0], id="the signature missing"),
])
def test_a_damaged_link_says_it_is_damaged(alice_client, contact, damage):
    token = invite(alice_client, contact)
    damaged = damage(token)
    assert damaged != token

    response = open_link(Client(), damaged)

    assert invitation_error(response) == says(LINK_DAMAGED)
    assert Invitation.objects.get(contact=contact).used_at is None


def test_a_well_signed_secret_that_was_never_sent_says_the_link_is_damaged(alice_client, contact):
    invite(alice_client, contact)
    forged = signing.Signer(salt=SIGNER_SALT).sign("a-secret-nobody-was-sent")

    assert invitation_error(open_link(Client(), forged)) == says(LINK_DAMAGED)


def test_the_welcome_page_without_an_opened_link_says_the_link_is_damaged(db):
    assert invitation_error(Client().get(reverse("portal:welcome"))) == says(LINK_DAMAGED)


def test_a_new_invitation_stops_the_older_link(alice_client, contact):
    older = invite(alice_client, contact)
    newer = invite(alice_client, contact)

    assert "replaced by a newer one" in invitation_error(open_link(Client(), older))
    person = Client()
    assert open_link(person, newer)["Location"] == "/portal/welcome/"
    assert set_password(person).status_code == 302


def test_a_newer_invitation_stops_an_older_link_already_open_on_the_welcome_page(alice_client, contact):
    older = invite(alice_client, contact)
    person = Client()
    open_link(person, older)
    invite(alice_client, contact)

    response = set_password(person)

    assert "replaced by a newer one" in invitation_error(response)
    assert not PortalAccount.objects.by_email(contact.email).exists()


def test_two_different_passwords_are_refused_next_to_the_second_and_not_shown_again(alice_client, contact):
    token = invite(alice_client, contact)
    person = Client()
    open_link(person, token)

    response = set_password(person, "first-try-mango-31", again="first-try-mango-13")

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(str(PASSWORDS_DIFFER)) in field_block(html, "password2")
    assert "first-try-mango-31" not in html
    assert "first-try-mango-13" not in html
    assert FormFields(html).data["password1"] == ""
    assert Invitation.objects.get(contact=contact).used_at is None
    assert not PortalAccount.objects.by_email(contact.email).exists()


def test_a_too_common_password_is_refused_next_to_it_and_the_invitation_stays_unused(alice_client, contact):
    token = invite(alice_client, contact)
    person = Client()
    open_link(person, token)

    response = set_password(person, "password123")

    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common." in field_block(html, "password1")
    assert "password123" not in html
    assert Invitation.objects.get(contact=contact).used_at is None
    assert not PortalAccount.objects.by_email(contact.email).exists()
    # The same link, still open, takes a better password.
    assert set_password(person).status_code == 302
    assert Invitation.objects.get(contact=contact).used_at is not None


def test_changing_a_contacts_email_closes_their_portal_access(alice_client, contact):
    give_portal_access(contact)
    priya = portal_log_in(Client(), contact)
    old_email = contact.email
    form = FormFields(alice_client.get(reverse("clients:contact_edit", args=[contact.pk])).content.decode()).data
    form.pop("csrfmiddlewaretoken", None)

    response = alice_client.post(
        reverse("clients:contact_edit", args=[contact.pk]), {**form, "email": "priya.new@client.example"}
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.email == "priya.new@client.example"
    assert contact.portal_access is False
    assert contact.account is None
    assert priya.get(reverse("portal:home"))["Location"].startswith(reverse("portal:login"))
    refused = Client().post(reverse("portal:login"), {"email": old_email, "password": "chai-and-marigolds-42"})
    assert refused.status_code == 200
    assert escape(str(LOGIN_INVALID)) in refused.content.decode()


def test_an_invitation_sent_to_the_old_email_stops_working_when_the_email_changes(alice_client, contact):
    token = invite(alice_client, contact)
    form = FormFields(alice_client.get(reverse("clients:contact_edit", args=[contact.pk])).content.decode()).data
    form.pop("csrfmiddlewaretoken", None)
    alice_client.post(reverse("clients:contact_edit", args=[contact.pk]), {**form, "email": "priya.new@client.example"})

    assert "replaced by a newer one" in invitation_error(open_link(Client(), token))


def test_the_old_addresses_calendar_stays_off_after_the_new_address_is_invited(alice_client, contact):
    give_portal_access(contact)
    _feed, token = feed_create(contact=contact, now=NOW)
    form = FormFields(alice_client.get(reverse("clients:contact_edit", args=[contact.pk])).content.decode()).data
    form.pop("csrfmiddlewaretoken", None)
    alice_client.post(reverse("clients:contact_edit", args=[contact.pk]), {**form, "email": "priya.new@client.example"})

    contact.refresh_from_db()
    give_portal_access(contact)  # the new address is invited and sets a password

    assert feed_open(token=token, now=NOW) is None


def test_opening_a_link_writes_nothing_but_the_visitors_session(alice_client, contact, freelancer):
    """Mail scanners open links: a GET must not create the freelancer's profile (nor re-plan alerts)."""
    token = invite(alice_client, contact)
    FreelancerProfile.objects.filter(user=freelancer).delete()

    with CaptureQueriesContext(connection) as queries:
        assert open_link(Client(), token).status_code == 302

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert [w for w in writes if "django_session" not in w] == []
    assert not FreelancerProfile.objects.filter(user=freelancer).exists()
