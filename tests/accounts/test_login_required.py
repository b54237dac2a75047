"""LoginRequiredMiddleware: every page but the public account pages sends a visitor to log in.

The URLs are enumerated from the URLconf, so a page added later is covered without listing it.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from agreements.models import Project
from tests.urls import app_url_patterns

# Pages a visitor must reach without an account (the admin has its own login and is left out).
PUBLIC = {
    "login",
    "agreements:signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The read-only summary link for the client's boss: the token is the key (tests/agreements).
    "shared_summary",
    "shared_summary_pdf",
    # Calendar feeds: calendar apps fetch them without a login; the token is the key (tests/alerts).
    "calendar_feed",
    # The health check a load balancer polls: "ok", nothing else (tests/ops/test_load.py).
    "healthz",
    # The language menu at the foot of every page, the login pages' too (tests/config/test_languages.py).
    "language_set",
    # The portal's own login, and accepting an invitation (the token is the key: tests/portal).
    "portal:login",
    "portal:logout",
    "portal:invitation",
    "portal:welcome",
}


def url_patterns():
    """(name, kwargs) of every URL pattern outside the admin, with a sample value per argument."""
    return sorted(
        (name, {key: 1 if isinstance(c, IntConverter) else "x" for key, c in converters.items()})
        for name, converters in app_url_patterns().items()
    )


PRIVATE = [(name, kwargs) for name, kwargs in url_patterns() if name not in PUBLIC]


def login_redirect(path: str) -> str:
    """Portal pages send visitors to the portal's login; every other page to the freelancer's."""
    login = "portal:login" if path.startswith("/portal/") else "login"
    return f"{reverse(login)}?{urlencode({'next': path}, safe='/')}"


def test_it_finds_the_pages_to_protect():
    names = {name for name, _ in PRIVATE}

    assert {"agreements:dashboard", "agreements:change_approve", "clients:list", "logout"} <= names
    assert not names & PUBLIC


@pytest.mark.parametrize(("name", "kwargs"), PRIVATE, ids=[name for name, _ in PRIVATE])
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db, name, kwargs):
    path = reverse(name, kwargs=kwargs)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == login_redirect(path)


@pytest.mark.parametrize(("name", "kwargs"), PRIVATE, ids=[name for name, _ in PRIVATE])
def test_it_sends_an_anonymous_post_to_the_login_page_and_changes_nothing(client, project, name, kwargs):
    kwargs = {key: project.pk if isinstance(value, int) else value for key, value in kwargs.items()}
    path = reverse(name, kwargs=kwargs)

    response = client.post(path, {"to": Project.Status.CANCELLED, "title": "Taken over"})

    assert response.status_code == 302
    assert response["Location"] == login_redirect(path)
    project.refresh_from_db()
    assert (project.status, project.title) == (Project.Status.ACTIVE, "Diwali packaging")


@pytest.mark.parametrize("name", ["login", "agreements:signup", "password_reset", "password_reset_done",
                                  "password_reset_complete"])
def test_it_lets_an_anonymous_visitor_open_the_public_account_pages(client, db, name):
    assert client.get(reverse(name)).status_code == 200
