"""The client portal end to end in a real browser (Chromium), and axe on its main pages.

Two people, two browser contexts (separate cookies): alice works in the freelancer's pages,
rahul (a contact at her client who may approve) only in the portal. Fields are found by their
labels and buttons and links by their names, so these tests also check that the portal's
fields are labelled.

Django calls from the test body (reading the outbox, the factories) run while Playwright's
event loop is open in this thread: the `browser` fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for
exactly that time.
"""

import datetime
import re
from decimal import Decimal
from email.utils import formataddr

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from agreements.changes import change_request_quote
from agreements.models import ChangeRequest
from clients.invitations import invitation_create
from tests.factories import (
    ChangeRequestFactory,
    MilestoneFactory,
    ScopeItemFactory,
    StoredContractVersionFactory,
)
from tests.portal.conftest import give_portal_access, portal_log_in

from .axe import assert_accessible
from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

PASSWORD = "marigold-chai-at-4pm"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# The project's fixed price (tests/factories.py) plus the 12,000 alice quotes, as the pages print it.
NEW_TOTAL = "₹1,12,000.00"


def field(page: Page, label: str):
    """The form control labelled exactly `label` (crispy adds "*" to required fields' labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def click(page: Page, name: str):
    page.get_by_role("button", name=name, exact=True).click()


def status(page: Page):
    """The flash messages (base.html renders each as role=status)."""
    return page.get_by_role("status")


@pytest.fixture
def second_page(browser, live_server):
    """A page in a context of its own: another person at another computer, no cookies shared."""
    context = browser.new_context(base_url=live_server.url, locale="en-IN", timezone_id="Asia/Kolkata")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_invited_contact_asks_for_a_change_and_approves_the_quote(
    login, second_page, live_server, mailoutbox, freelancer, project, approver
):
    alice, rahul = login(freelancer), second_page
    assert project.price == Decimal("100000")

    # alice invites rahul from the client page.
    alice.goto(project.client.get_absolute_url())
    click(alice, "Invite Rahul to the portal")
    expect(status(alice)).to_contain_text(f"Invitation sent to {approver.email}")

    # The email (locmem in tests: live_server runs in this process) holds the one link.
    (message,) = mailoutbox
    assert message.to == [formataddr(("Rahul", approver.email))]
    links = re.findall(r"https?://\S+/portal/invitation/\S+/", message.body)
    assert len(links) == 1, message.body
    (link,) = links
    assert link.startswith(live_server.url)
    token = link.rstrip("/").rsplit("/", 1)[1]

    # rahul, in his own browser, opens it: the token leaves the address at once.
    rahul.goto(link)
    expect(rahul).to_have_url(f"{live_server.url}/portal/welcome/")
    assert token not in rahul.url
    expect(rahul.get_by_role("heading", name="Welcome, Rahul", level=1)).to_be_visible()
    field(rahul, "Choose a password").fill(PASSWORD)
    field(rahul, "The same password again").fill(PASSWORD)
    time_zone = field(rahul, "Your time zone")
    expect(time_zone).to_have_value("Asia/Kolkata")  # the project's zone, until he says otherwise
    time_zone.select_option("Asia/Kathmandu")
    click(rahul, "Set my password and open the portal")

    expect(rahul).to_have_url(f"{live_server.url}/portal/")
    expect(status(rahul)).to_contain_text(f"Your password is set. Next time, log in with {approver.email}")
    expect(rahul.get_by_role("heading", name="Your projects", level=1)).to_be_visible()

    # Out, and back in with email and password.
    rahul.get_by_role("button", name=re.compile(r"^Log out")).click()
    expect(rahul).to_have_url(f"{live_server.url}/portal/login/")
    expect(status(rahul)).to_contain_text("You have logged out of the portal.")
    field(rahul, "Email").fill(approver.email)
    field(rahul, "Password").fill(PASSWORD)
    click(rahul, "Log in")
    expect(rahul).to_have_url(f"{live_server.url}/portal/")

    # He asks for a change in writing, with a real date.
    rahul.get_by_role("link", name="Diwali packaging").click()
    expect(rahul.get_by_role("heading", name="Diwali packaging", level=1)).to_be_visible()
    expect(rahul.get_by_text("Times in Asia/Kathmandu")).to_be_visible()
    rahul.get_by_role("link", name="Ask for a change").click()
    expect(rahul.get_by_role("heading", name="Ask for a change", level=1)).to_be_visible()
    description = "Add a trade-fair flyer: A5, both sides, Marathi and English."
    field(rahul, "What should change?").fill(description)
    field(rahul, "What is it for?").fill("Handed out at the Mumbai food fair.")
    needed_by = datetime.date.today() + datetime.timedelta(days=14)
    field(rahul, "Needed by").fill(needed_by.isoformat())  # a date picker takes the ISO date
    click(rahul, "Send the request")

    expect(rahul.get_by_role("heading", name=re.compile(r"^CR-1\b"), level=1)).to_be_visible()
    expect(status(rahul)).to_contain_text("CR-1 is recorded.")
    expect(rahul.locator("#change-status")).to_have_text("Submitted")
    change = ChangeRequest.objects.get(project=project)
    assert (change.requested_by, change.description, change.needed_by) == (approver, description, needed_by)
    assert change.purpose == "Handed out at the Mumbai food fair."

    # alice prices it (an impact first, then the quote).
    alice.goto(project.get_absolute_url())
    alice.get_by_role("link", name="CR-1").click()
    expect(alice.get_by_role("heading", name=re.compile(r"^CR-1\b"), level=1)).to_be_visible()
    alice.get_by_role("link", name="Edit", exact=True).click()
    expect(alice.get_by_role("heading", name="Edit CR-1", level=1)).to_be_visible()
    field(alice, "Price change").fill("12000")
    click(alice, "Save")
    expect(status(alice)).to_contain_text("CR-1 saved.")
    click(alice, "Send quote to client")
    expect(status(alice)).to_contain_text("CR-1 is now “Quoted”.")

    # rahul reloads his page: the quote, the new total, and the form to decide.
    rahul.reload()
    expect(rahul.locator("#change-status")).to_have_text("Quoted")
    impact = rahul.get_by_role("region", name="What this change does")
    expect(impact.get_by_role("row", name=re.compile("^Price change"))).to_contain_text("₹12,000.00")
    expect(impact.get_by_role("row", name=re.compile("^Total now"))).to_contain_text("₹1,00,000.00")
    expect(impact.get_by_role("row", name=re.compile("^New total if approved"))).to_contain_text(NEW_TOTAL)
    rahul.get_by_role("radio", name="Approve this change").check()
    click(rahul, "Send my decision")

    expect(status(rahul)).to_contain_text("You approved CR-1.")
    expect(rahul.locator("#change-status")).to_have_text("Approved")
    expect(rahul.locator("#decision-record")).to_contain_text("Rahul approved this change on")
    expect(rahul.get_by_role("button", name="Send my decision")).to_have_count(0)

    # The same new total on both sides.
    rahul.get_by_role("link", name="Diwali packaging").click()
    expect(rahul.locator("#current-total")).to_have_text(NEW_TOTAL)
    money = rahul.get_by_role("region", name="Money")
    expect(money.get_by_role("row", name=re.compile("^Current total"))).to_contain_text(NEW_TOTAL)
    alice.goto(project.get_absolute_url())
    expect(alice.locator("#current-total")).to_have_text(NEW_TOTAL)
    assert rahul.locator("#current-total").inner_text() == alice.locator("#current-total").inner_text()

    # And alice's client page now says rahul has the portal.
    alice.goto(project.client.get_absolute_url())
    contacts = alice.get_by_role("region", name="Contacts")
    expect(contacts.get_by_role("row", name=re.compile("^Rahul"))).to_contain_text("has access")


# --- Accessibility -------------------------------------------------------------------------------

PORTAL_PAGES = {
    "login": lambda s: reverse("portal:login"),
    "welcome": lambda s: reverse("portal:welcome"),
    "home": lambda s: reverse("portal:home"),
    "project": lambda s: reverse("portal:project", args=[s["project"].pk]),
    "change form": lambda s: reverse("portal:change_create", args=[s["project"].pk]),
    "change detail": lambda s: reverse("portal:change", args=[s["change"].pk]),
    "contract": lambda s: reverse("portal:contract", args=[s["version"].pk]),
    "help form": lambda s: f"{reverse('portal:help_create')}?project={s['project'].pk}",
    "calendar": lambda s: reverse("portal:calendar"),
}

def page_params():
    for name in PORTAL_PAGES:
        for viewport in VIEWPORTS:
            yield pytest.param(name, viewport, id=f"{name}-{viewport}")


@pytest.fixture
def portal_setup(freelancer, project, approver):
    """A project with something on every page: dates, a deliverable, a quote to decide, a contract."""
    MilestoneFactory(project=project, title="First drafts")
    ScopeItemFactory(project=project, title="Gift box designs")
    change = ChangeRequestFactory(
        project=project, requested_by=approver, price_delta=Decimal("12000"), description="Add a trade-fair flyer."
    )
    change_request_quote(change_request=change, now=timezone.now())
    version = StoredContractVersionFactory(project=project)
    return {"freelancer": freelancer, "project": project, "contact": approver, "change": change, "version": version}


def portal_cookie(page: Page, live_server, contact) -> None:
    """Log the contact in through the portal's login form (Django's test client), give the page the session."""
    give_portal_access(contact)
    client = portal_log_in(Client(), contact)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


@pytest.mark.parametrize(("name", "viewport"), list(page_params()))
def test_portal_page_has_no_serious_axe_violations(page: Page, live_server, portal_setup, name, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    contact = portal_setup["contact"]
    if name == "welcome":
        # The page as an invited person first sees it: the link moves the token into the session.
        _invitation, token = invitation_create(contact=contact, sent_by=portal_setup["freelancer"], now=timezone.now())
        page.goto(reverse("portal:invitation", args=[token]))
    elif name != "login":
        portal_cookie(page, live_server, contact)
    path = PORTAL_PAGES[name](portal_setup)
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert page.url.endswith(path), f"{path} went to {page.url}"  # not sent to the login page
    if name == "change detail":
        expect(page.get_by_role("radio", name="Approve this change")).to_be_visible()  # the decision form
    if name == "contract":
        expect(page.get_by_role("button", name="Accept the contract")).to_be_visible()

    assert_accessible(page, f"portal {name} at {viewport} width")
