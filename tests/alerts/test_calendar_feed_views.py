"""The calendar pages: the feed at its secret address, the freelancer's page and the portal's page
to make, replace and turn off the address (agreements/views/calendar.py, clients/portal/views/calendar.py)."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from agreements.alerts.calendar_feed import feed_create
from agreements.models import CalendarFeed
from tests.factories import NOW, ClientFactory, ContactFactory, MilestoneFactory, ProjectFactory
from tests.portal.conftest import give_portal_access

FEED_URL = re.compile(r'value="(http://testserver/calendar/[^"]+\.ics)"')


def shown_address(page) -> str | None:
    found = FEED_URL.findall(page.content.decode())
    assert len(found) <= 1
    return found[0] if found else None


def fetch(url: str):
    """The feed as a calendar app fetches it: no session, no cookies."""
    return Client().get(urlsplit(url).path)


def create_address(browser, url: str) -> str:
    response = browser.post(url, follow=True)
    assert response.status_code == 200
    address = shown_address(response)
    assert address is not None
    return address


# The feed


def test_it_serves_the_feed_to_a_calendar_app_without_a_login(freelancer, project, frozen_now):
    milestone = MilestoneFactory(project=project, title="Box designs")
    _feed, token = feed_create(owner=freelancer, now=NOW)

    response = Client().get(reverse("calendar_feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == "inline; filename=vachan.ics"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    (event,) = IcsCalendarStream.calendar_from_ics(response.content.decode()).events
    assert event.uid == f"milestone-{milestone.pk}@vachan"
    assert event.summary == "Due: Box designs (Diwali packaging), yours"


@pytest.mark.parametrize("token", ["nope", "x" * 43, "made-up.ics"])
def test_an_unknown_address_is_not_found(db, token):
    response = Client().get(f"/calendar/{token}.ics")

    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex"


# The freelancer's page


def test_the_page_needs_a_login(client, db):
    response = client.get(reverse("agreements:calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_freelancer_without_an_address_is_offered_one(alice_client):
    page = alice_client.get(reverse("agreements:calendar")).content.decode()

    assert "Create a calendar address" in page
    assert "Turn the address off" not in page


def test_the_new_address_is_shown_once_and_works(alice_client, project, frozen_now):
    MilestoneFactory(project=project, title="Box designs")

    address = create_address(alice_client, reverse("agreements:calendar_create"))

    again = alice_client.get(reverse("agreements:calendar"))
    assert shown_address(again) is None
    assert "Your calendar address is on" in again.content.decode()
    assert "Replace the address (the old one stops working)" in again.content.decode()
    feed = fetch(address)
    assert feed.status_code == 200
    assert "SUMMARY:Due: Box designs (Diwali packaging)\\, yours" in feed.content.decode()
    assert "A calendar last read it" in alice_client.get(reverse("agreements:calendar")).content.decode()


def test_the_page_says_how_to_subscribe(alice_client):
    page = alice_client.post(reverse("agreements:calendar_create"), follow=True).content.decode()

    assert "Other calendars" in page and "From URL" in page
    assert "File → New Calendar Subscription" in page
    assert "Subscribe from web" in page


def test_replacing_the_address_stops_the_old_one(alice_client):
    old = create_address(alice_client, reverse("agreements:calendar_create"))

    new = create_address(alice_client, reverse("agreements:calendar_create"))

    assert new != old
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200


def test_turning_the_address_off_stops_it(alice_client):
    address = create_address(alice_client, reverse("agreements:calendar_create"))

    page = alice_client.post(reverse("agreements:calendar_revoke"), follow=True).content.decode()

    assert fetch(address).status_code == 404
    assert "The calendar address is turned off" in page
    assert "Create a calendar address" in page


@pytest.mark.parametrize("name", ["agreements:calendar_create", "agreements:calendar_revoke"])
def test_the_actions_are_post_only(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_bob_neither_sees_nor_turns_off_alice_s_address(freelancer, bob_client):
    _feed, token = feed_create(owner=freelancer, now=NOW)

    page = bob_client.get(reverse("agreements:calendar")).content.decode()
    bob_client.post(reverse("agreements:calendar_revoke"))

    assert "You have no calendar address." in page
    assert fetch("http://testserver" + reverse("calendar_feed", args=[token])).status_code == 200


# The portal's page


def test_a_contact_makes_an_address_for_their_client_s_deadlines(portal_as, approver, project, frozen_now):
    MilestoneFactory(project=project, title="Box designs")
    rahul = portal_as(approver)

    address = create_address(rahul, reverse("portal:calendar_create", args=[project.client_id]))

    assert shown_address(rahul.get(reverse("portal:calendar"))) is None
    feed = fetch(address).content.decode()
    assert "SUMMARY:Due: Box designs (Diwali packaging)\\, from Alice" in feed
    assert CalendarFeed.objects.get(revoked_at=None).contact == approver


def test_the_portal_page_needs_a_portal_login(alice_client):
    response = alice_client.get(reverse("portal:calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_a_contact_turns_off_their_own_address_only(portal_as, approver, contact, project):
    give_portal_access(contact)
    _priyas, priya_token = feed_create(contact=contact, now=NOW)
    rahul = portal_as(approver)
    address = create_address(rahul, reverse("portal:calendar_create", args=[project.client_id]))

    rahul.post(reverse("portal:calendar_revoke", args=[project.client_id]))

    assert fetch(address).status_code == 404
    assert fetch("http://testserver" + reverse("calendar_feed", args=[priya_token])).status_code == 200


def test_a_contact_cannot_make_or_turn_off_another_client_s_address(portal_as, approver, freelancer, other_freelancer):
    give_portal_access(approver)
    _feed, token = feed_create(contact=approver, now=NOW)
    strangers = [ClientFactory(owner=freelancer), ClientFactory(owner=other_freelancer)]
    meera = portal_as(ContactFactory(client=strangers[0], name="Meera"))

    for name in ("portal:calendar_create", "portal:calendar_revoke"):
        assert meera.post(reverse(name, args=[approver.client_id])).status_code == 404
        assert meera.post(reverse(name, args=[strangers[1].pk])).status_code == 404

    assert list(CalendarFeed.objects.values_list("contact_id", "revoked_at")) == [(approver.pk, None)]


def test_a_login_at_two_clients_has_one_address_per_client(portal_as, approver, freelancer, project, frozen_now):
    konkan = ProjectFactory(owner=freelancer, client=ClientFactory(owner=freelancer, name="Konkan Traders"),
                            title="Monsoon menu cards")
    MilestoneFactory(project=project, title="Box designs")
    MilestoneFactory(project=konkan, title="Menu cards")
    give_portal_access(ContactFactory(client=konkan.client, name="Rahul", email=approver.email))
    rahul = portal_as(approver)

    sahyadri_address = create_address(rahul, reverse("portal:calendar_create", args=[project.client_id]))
    konkan_address = create_address(rahul, reverse("portal:calendar_create", args=[konkan.client_id]))

    page = rahul.get(reverse("portal:calendar")).content.decode()
    assert "Sahyadri Foods" in page and "Konkan Traders" in page
    assert page.count("Your calendar address is on") == 2
    sahyadri, konkan_feed = fetch(sahyadri_address).content.decode(), fetch(konkan_address).content.decode()
    assert "Box designs" in sahyadri and "Menu cards" not in sahyadri
    assert "Menu cards" in konkan_feed and "Box designs" not in konkan_feed
