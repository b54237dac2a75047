"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's `live_server`.

Playwright never downloads a browser here: it starts the system Chromium, which
`bin/setup --with-browser` installs. Without it these tests are skipped, or fail when
VACHAN_BROWSER_REQUIRED=1 (bin/test sets it, so CI cannot skip them quietly).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from tests.immutable import flush_issued_documents

CHROMIUM = Path(os.environ.get("VACHAN_CHROMIUM", "/usr/bin/chromium"))
# Without the networking flags Chromium keeps calling home, and the closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",  # the machine runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000  # Playwright waits 30 s by default; a local page that needs more is broken.


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed again before any other test package runs.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses database
    calls from such a thread (the factories, live_server's flush) unless DJANGO_ALLOW_ASYNC_UNSAFE
    is set: it is set only while the browser is open.
    """
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}: run bin/setup --with-browser (or set VACHAN_CHROMIUM)"
        if os.environ.get("VACHAN_BROWSER_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page with its own cookies; relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-IN", timezone_id="Asia/Kolkata")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page, live_server, client):
    """log_in(user): the browser gets a session made by Django's test client (no login form)."""

    def log_in(user):
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
        return page

    return log_in


@pytest.fixture(autouse=True)
def _issued_documents_flushed(transactional_db):
    """The flush after each test must get past the immutability triggers (tests/immutable.py)."""
    yield
    flush_issued_documents()
