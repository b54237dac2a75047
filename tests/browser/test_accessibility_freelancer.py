"""axe-core finds no serious or critical accessibility violations on a freelancer's main pages,
at desktop width and at a phone's (390x844), as the pages are served (CSP in force)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.factories import MilestoneFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PAGES = {
    "dashboard": lambda project, client: reverse("agreements:dashboard"),
    "project list": lambda project, client: reverse("agreements:project_list"),
    "project": lambda project, client: project.get_absolute_url(),
    "client list": lambda project, client: reverse("clients:list"),
    "client": lambda project, client: client.get_absolute_url(),
    "alert settings": lambda project, client: reverse("agreements:alert_settings"),
    "project alerts": lambda project, client: reverse("agreements:project_alerts", args=[project.pk]),
    "calendar": lambda project, client: reverse("agreements:calendar"),
    "inbox": lambda project, client: reverse("agreements:notifications"),
    "help requests": lambda project, client: reverse("clients:help_list"),
    "my details": lambda project, client: reverse("agreements:profile"),
    "new project": lambda project, client: reverse("agreements:project_create"),
    "new change request": lambda project, client: reverse("agreements:change_create", args=[project.pk]),
    "contract": lambda project, client: reverse("agreements:contract_edit", args=[project.pk]),
    "executive summary": lambda project, client: reverse("agreements:summary", args=[project.pk]),
    "propose a new date": lambda project, client: reverse(
        "agreements:milestone_propose_date", args=[MilestoneFactory(project=project, estimated_hours=90).pk]
    ),
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_axe_violations(login, freelancer, project, client_company, contact, name, viewport):
    page: Page = login(freelancer)
    page.set_viewport_size(VIEWPORTS[viewport])
    path = PAGES[name](project, client_company)
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert page.url.endswith(path), f"{path} went to {page.url}"  # not sent to the login page
    assert_accessible(page, f"{name} at {viewport} width")
