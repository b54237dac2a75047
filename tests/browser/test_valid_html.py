"""The Nu HTML checker (vnu-jar from npm, run with the machine's Java) finds no errors in the HTML
the server sends for every main page, freelancer and portal. One checker run for all pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clients.invitations import invitation_create
from tests.portal.conftest import give_portal_access, portal_log_in

from .test_accessibility_freelancer import PAGES
from .test_portal_journey import PORTAL_PAGES, portal_setup  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def portal_page(setup, name) -> str:
    contact, browser = setup["contact"], Client()
    if name == "welcome":
        _invitation, token = invitation_create(contact=contact, sent_by=setup["freelancer"], now=timezone.now())
        browser.get(reverse("portal:invitation", args=[token]))
    elif name != "login":
        give_portal_access(contact)
        portal_log_in(browser, contact)
    response = browser.get(PORTAL_PAGES[name](setup))
    assert response.status_code == 200, name
    return response.content.decode()


def test_every_main_page_is_valid_html(alice_client, project, client_company, portal_setup, tmp_path):  # noqa: F811
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("vnu-jar or Java is missing: run bin/setup --with-browser")
    pages = {}
    for name, path_of in PAGES.items():
        response = alice_client.get(path_of(project, client_company))
        assert response.status_code == 200, name
        pages[f"freelancer {name}"] = response.content.decode()
    for name in PORTAL_PAGES:
        pages[f"portal {name}"] = portal_page(portal_setup, name)
    files = {}
    for label, html in pages.items():
        path = tmp_path / (label.replace(" ", "-") + ".html")
        path.write_text(html, encoding="utf-8")
        files[path.name] = label

    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *[str(p) for p in tmp_path.glob("*.html")]],
        capture_output=True, text=True, timeout=120,
    )

    errors = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}, line {m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '')}]"
        for m in json.loads(checked.stderr or '{"messages": []}')["messages"]
        if m["type"] == "error"
    ]
    assert len(files) == len(PAGES) + len(PORTAL_PAGES)
    assert not errors, "\n".join(errors)
