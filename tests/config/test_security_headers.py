"""What production sends with every kind of response: HSTS, CSP with nonces, nosniff, referrer
policy, frame protection, and Secure/HttpOnly/SameSite cookies.

The settings are the ones config/settings.py really computes with the production environment
of README "Production" (read by running the file again with that environment, not copied here).
Requests come over HTTPS, as from the TLS proxy. Gunicorn sending the same over the network:
test_deploy.py. Already covered elsewhere, with the same policy: the portal's scripts carrying
the header's nonce (tests/portal/test_access_sessions.py) and `no-referrer` on the shared summary
and the calendar feed (tests/agreements/test_summary_views.py, tests/alerts/test_calendar_feed_views.py).
"""

import os
import re
import runpy
import secrets
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import StoredContractVersionFactory
from tests.portal.conftest import PORTAL_PASSWORD, give_portal_access, portal_log_in

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"
# The variables README "Production" says must be set (as bin/test's `check --deploy` sets them).
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "vachan.example.com",
    "SMTP_HOST": "smtp.example.com",
}
SECURITY = ("DEBUG", "MIDDLEWARE", "X_FRAME_OPTIONS", "SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")
HSTS = "max-age=31536000; includeSubDomains; preload"


def production_settings(tmp_path: Path) -> dict:
    """config/settings.py run again with the production environment and nothing else of ours."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DJANGO_", "VACHAN_", "SMTP_", "DATABASE_URL"))}
    env |= PRODUCTION_ENV | {"VACHAN_SQLITE_PATH": str(tmp_path / "production.sqlite3")}
    with mock.patch.dict(os.environ, env, clear=True):
        return runpy.run_path(str(SETTINGS_FILE), run_name="production_settings")


@pytest.fixture
def production(settings, tmp_path):
    """The security settings production has (the storage and database stay the tests')."""
    configured = production_settings(tmp_path)
    applied = {name: value for name, value in configured.items() if name.isupper() and name.startswith(SECURITY)}
    assert applied["DEBUG"] is False and applied["SECURE_SSL_REDIRECT"] is True
    for name, value in applied.items():
        setattr(settings, name, value)
    return applied


class HttpsClient(Client):
    """The test browser, every request over HTTPS (as the TLS proxy forwards them)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def nonce_of(response) -> str:
    """The CSP header's script nonce, which every <script> on the page carries."""
    script_src = directives(response["Content-Security-Policy"])["script-src"]
    assert script_src[0] == "'self'"
    (nonce,) = [source[len("'nonce-"):-1] for source in script_src if source.startswith("'nonce-")]
    tags = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert tags, "the page loads its script"
    assert all(f'nonce="{nonce}"' in tag for tag in tags), tags
    return nonce


# Each kind of response, fetched by a browser made after `production` (middleware reads settings
# when the first request builds it).


def freelancer_page(freelancer, contact, project):
    browser = HttpsClient()
    browser.force_login(freelancer)
    return browser, reverse("agreements:dashboard")


def portal_page(freelancer, contact, project):
    give_portal_access(contact)
    return portal_log_in(HttpsClient(), contact), reverse("portal:home")


def pdf_download(freelancer, contact, project):
    version = StoredContractVersionFactory(project=project)
    browser = HttpsClient()
    browser.force_login(freelancer)
    return browser, reverse("agreements:contract_version_pdf", args=[version.pk]) + "?download"


KINDS = {"freelancer page": freelancer_page, "portal page": portal_page, "PDF": pdf_download}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_response_carries_the_production_security_headers(production, freelancer, contact, project, kind):
    browser, url = KINDS[kind](freelancer, contact, project)

    response = browser.get(url)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == HSTS
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy["script-src"])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    # The whole policy, nonce aside: nothing looser slips into a directive nobody asserted.
    assert {name: [v for v in values if not v.startswith("'nonce-")] for name, values in policy.items()} == {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
        "img-src": ["'self'", "data:"], "font-src": ["'self'"], "object-src": ["'none'"],
        "base-uri": ["'self'"], "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    }
    if kind == "PDF":
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    else:
        assert "<script" in response.content.decode()


@pytest.mark.parametrize("kind", ["freelancer page", "portal page"])
def test_a_pages_script_nonce_matches_its_header_and_is_new_on_every_request(
    production, freelancer, contact, project, kind
):
    browser, url = KINDS[kind](freelancer, contact, project)

    first, second = nonce_of(browser.get(url)), nonce_of(browser.get(url))

    assert len(first) >= 16
    assert first != second


def test_plain_http_is_redirected_to_https(production, db):
    response = Client().get(reverse("login"))

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{reverse('login')}"


def cookie(response, name):
    morsel = response.cookies[name]
    assert morsel.value
    return morsel


def test_logging_in_sets_secure_same_site_cookies_and_an_http_only_session(production, freelancer):
    browser = HttpsClient()

    page = browser.get(reverse("login"))
    logged_in = browser.post(reverse("login"), {"username": "alice@example.com", "password": "correct horse battery"})

    assert logged_in.status_code == 302
    csrf = cookie(page, "csrftoken")
    session = cookie(logged_in, "sessionid")
    assert csrf["secure"] is True and session["secure"] is True
    assert csrf["samesite"] == session["samesite"] == "Lax"
    assert session["httponly"] is True
    # As configured: Django's default CSRF_COOKIE_HTTPONLY (off; a script could read the token
    # from the page's form anyway).
    assert "CSRF_COOKIE_HTTPONLY" not in production
    assert not csrf["httponly"]
    # Logging in gives a new CSRF token too, with the same flags.
    rotated = cookie(logged_in, "csrftoken")
    assert rotated.value != csrf.value and rotated["secure"] is True and rotated["samesite"] == "Lax"


def test_a_portal_login_sets_the_same_cookie_flags(production, contact):
    give_portal_access(contact)
    browser = HttpsClient()

    logged_in = browser.post(reverse("portal:login"), {"email": contact.email, "password": PORTAL_PASSWORD})

    assert logged_in.status_code == 302
    session, csrf = cookie(logged_in, "sessionid"), cookie(logged_in, "csrftoken")
    assert session["secure"] is True and session["httponly"] is True and session["samesite"] == "Lax"
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    assert browser.get(reverse("portal:home")).status_code == 200
