"""django-axes pauses logins after repeated wrong passwords: for one email from one address, for 15 minutes."""

import datetime

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from clients.portal.evidence import client_ip
from clients.portal.forms import LOGIN_INVALID
from tests.factories import NOW
from tests.html import flat
from tests.portal.conftest import PORTAL_PASSWORD, give_portal_access

HOME_IP = "198.51.100.7"
OTHER_IP = "203.0.113.40"
FREELANCER_PASSWORD = "correct horse battery"  # tests/factories.py


def portal_attempt(contact, password, ip=HOME_IP, **extra):
    return Client().post(
        reverse("portal:login"), {"email": contact.email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def freelancer_attempt(email, password, ip=HOME_IP, **extra):
    return Client().post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def assert_paused(response):
    assert response.status_code == 429, response.content.decode()[:2000]
    text = flat(response.content.decode())
    assert "Too many attempts" in text
    assert "paused for 15 minutes. It starts working again by itself" in text


@pytest.fixture
def priya(contact):
    give_portal_access(contact)
    return contact


@pytest.fixture
def five_wrong_portal_passwords(priya, frozen_now):
    for attempt in range(5):
        response = portal_attempt(priya, f"wrong-{attempt}")
        assert response.status_code in (200, 429)
    return priya


def test_the_first_wrong_passwords_are_answered_with_the_usual_message(priya, frozen_now):
    for attempt in range(4):
        response = portal_attempt(priya, f"wrong-{attempt}")
        assert response.status_code == 200
        assert escape(str(LOGIN_INVALID)) in response.content.decode()
    assert portal_attempt(priya, PORTAL_PASSWORD).status_code == 302


def test_after_five_wrong_passwords_even_the_right_one_is_paused(five_wrong_portal_passwords):
    response = portal_attempt(five_wrong_portal_passwords, PORTAL_PASSWORD)

    assert_paused(response)


def test_a_paused_login_starts_no_session(five_wrong_portal_passwords):
    browser = Client()
    response = browser.post(
        reverse("portal:login"), {"email": five_wrong_portal_passwords.email, "password": PORTAL_PASSWORD},
        REMOTE_ADDR=HOME_IP,
    )

    assert response.status_code == 429
    assert browser.get(reverse("portal:home"))["Location"].startswith(reverse("portal:login"))



def test_a_successful_freelancer_login_clears_the_earlier_wrong_passwords(freelancer, frozen_now):
    for attempt in range(4):
        freelancer_attempt("alice@example.com", f"wrong-{attempt}")
    assert freelancer_attempt("alice@example.com", FREELANCER_PASSWORD).status_code == 302

    one_more_typo = freelancer_attempt("alice@example.com", "wrong-again")

    assert one_more_typo.status_code == 200
    assert freelancer_attempt("alice@example.com", FREELANCER_PASSWORD).status_code == 302


def test_a_successful_portal_login_clears_the_earlier_wrong_passwords(priya, frozen_now):
    for attempt in range(4):
        portal_attempt(priya, f"wrong-{attempt}")
    assert portal_attempt(priya, PORTAL_PASSWORD).status_code == 302

    one_more_typo = portal_attempt(priya, "wrong-again")

    assert one_more_typo.status_code == 200
    assert escape(str(LOGIN_INVALID)) in one_more_typo.content.decode()
    assert portal_attempt(priya, PORTAL_PASSWORD).status_code == 302

def test_the_same_email_from_another_address_still_logs_in(five_wrong_portal_passwords):
    """A stranger typing wrong passwords for priya's email does not lock priya out everywhere."""
    response = portal_attempt(five_wrong_portal_passwords, PORTAL_PASSWORD, ip=OTHER_IP)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_another_email_from_the_same_address_still_logs_in(five_wrong_portal_passwords, approver):
    give_portal_access(approver)

    assert portal_attempt(approver, PORTAL_PASSWORD).status_code == 302


def test_a_forwarded_for_header_does_not_get_round_the_pause(five_wrong_portal_passwords):
    response = portal_attempt(five_wrong_portal_passwords, PORTAL_PASSWORD, HTTP_X_FORWARDED_FOR=OTHER_IP)

    assert_paused(response)


def test_the_pause_is_still_on_just_before_fifteen_minutes(five_wrong_portal_passwords):
    with time_machine.travel(NOW + datetime.timedelta(minutes=14, seconds=50), tick=False):
        assert_paused(portal_attempt(five_wrong_portal_passwords, PORTAL_PASSWORD))


def test_the_pause_ends_by_itself_after_fifteen_minutes(five_wrong_portal_passwords):
    with time_machine.travel(NOW + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = portal_attempt(five_wrong_portal_passwords, PORTAL_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_the_freelancer_login_is_paused_the_same_way(freelancer, frozen_now):
    for attempt in range(5):
        freelancer_attempt("alice@example.com", f"wrong-{attempt}")

    assert_paused(freelancer_attempt("alice@example.com", FREELANCER_PASSWORD))
    assert_paused(freelancer_attempt("ALICE@example.com", FREELANCER_PASSWORD))
    from_elsewhere = freelancer_attempt("alice@example.com", FREELANCER_PASSWORD, ip=OTHER_IP)
    assert from_elsewhere.status_code == 302
    with time_machine.travel(NOW + datetime.timedelta(minutes=15, seconds=1), tick=False):
        later = freelancer_attempt("alice@example.com", FREELANCER_PASSWORD)
    assert later.status_code == 302
    assert later["Location"] == reverse("agreements:dashboard")


def test_the_first_wrong_freelancer_passwords_are_answered_with_the_usual_message(freelancer, frozen_now):
    for attempt in range(4):
        response = freelancer_attempt("alice@example.com", f"wrong-{attempt}")
        assert response.status_code == 200
        assert "Please enter a correct email and password." in response.content.decode()
    assert freelancer_attempt("alice@example.com", FREELANCER_PASSWORD).status_code == 302


def test_portal_and_freelancer_logins_are_counted_apart(freelancer, client_company, frozen_now):
    """alice is also a contact at a client of her own: wrong freelancer passwords leave her portal login alone."""
    alice_as_contact = client_company.contacts.create(name="Alice", email="alice@example.com")
    give_portal_access(alice_as_contact)
    for attempt in range(5):
        freelancer_attempt("alice@example.com", f"wrong-{attempt}")

    assert_paused(freelancer_attempt("alice@example.com", FREELANCER_PASSWORD))
    assert portal_attempt(alice_as_contact, PORTAL_PASSWORD).status_code == 302


@pytest.mark.parametrize("letter_case", [str.upper, str.title])
def test_changing_the_letter_case_of_the_email_does_not_get_round_the_pause(five_wrong_portal_passwords, letter_case):
    response = Client().post(
        reverse("portal:login"),
        {"email": letter_case(five_wrong_portal_passwords.email), "password": PORTAL_PASSWORD},
        REMOTE_ADDR=HOME_IP,
    )

    assert_paused(response)


def test_without_a_trusted_proxy_the_address_is_remote_addr_whatever_the_client_sends(settings):
    settings.VACHAN_TRUSTED_PROXY_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR=HOME_IP, HTTP_X_FORWARDED_FOR=f"{OTHER_IP}, 192.0.2.1")

    assert client_ip(request) == HOME_IP


def test_behind_a_trusted_proxy_the_address_is_the_last_one_in_its_header(settings):
    settings.VACHAN_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{OTHER_IP}, 192.0.2.1,  {HOME_IP} "
    )

    assert client_ip(request) == HOME_IP


def test_behind_a_trusted_proxy_without_its_header_the_address_is_remote_addr(settings):
    settings.VACHAN_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"

    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=HOME_IP)) == HOME_IP


@pytest.mark.parametrize("header", ["not-an-address", f"{HOME_IP}, garbage", "unknown"])
def test_a_header_entry_that_is_not_an_address_falls_back_to_the_proxy_s_own(settings, header):
    """Never None: a None address would put every visitor in one throttling bucket."""
    settings.VACHAN_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"

    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header)) == "10.0.0.2"


@pytest.mark.parametrize(("header", "address"), [
    ("203.0.113.7:5678", "203.0.113.7"), ("[2001:db8::1]:443", "2001:db8::1"), ("2001:db8::1", "2001:db8::1"),
])
def test_a_port_after_the_address_is_dropped(settings, header, address):
    settings.VACHAN_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"

    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header)) == address


def test_behind_a_trusted_proxy_the_pause_follows_the_address_the_proxy_saw(settings, priya, frozen_now):
    settings.VACHAN_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "10.0.0.2"
    for attempt in range(5):
        portal_attempt(priya, f"wrong-{attempt}", ip=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.9, {HOME_IP}")

    assert_paused(portal_attempt(priya, PORTAL_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {HOME_IP}"))
    assert portal_attempt(priya, PORTAL_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=f"{HOME_IP}, {OTHER_IP}").status_code \
        == 302
