"""A freelancer's first agreement, end to end in a real browser (Chromium).

The fields are found by their labels and the buttons and links by their names, so these tests
also check that every field a freelancer fills in is labelled.
"""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from agreements.models import Project

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/vachan-browser-project.png"  # for looking at by hand; not committed


def field(page: Page, label: str):
    """The form control labelled exactly `label` (crispy adds "*" to required fields' labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def save(page: Page, name: str = "Save"):
    page.get_by_role("button", name=name, exact=True).click()


def test_sign_up_and_write_down_a_first_agreement(page: Page):
    page.goto("/signup/")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    field(page, "Your name").fill("Asha")
    field(page, "Email").fill("asha@example.com")
    field(page, "Password").fill("kesari-chai-at-4pm")
    field(page, "Password confirmation").fill("kesari-chai-at-4pm")
    save(page, "Create account")

    # Signed in and sent straight to the first client.
    expect(page.get_by_role("heading", name="Add a client")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Start by adding your first client")
    field(page, "Name").fill("Sahyadri Foods")
    save(page)

    expect(page.get_by_role("heading", name="Sahyadri Foods", level=1)).to_be_visible()
    page.get_by_role("link", name="Add a contact").click()
    field(page, "Name").fill("Rahul Patil")
    field(page, "Email").fill("rahul@sahyadri.example")
    field(page, "May approve").check()
    save(page)

    contacts = page.get_by_role("region", name="Contacts")
    expect(contacts.get_by_role("row", name=re.compile("Rahul Patil"))).to_contain_text("yes")

    # The client's "New project" link chooses the client already.
    page.get_by_role("link", name="New project").click()
    expect(field(page, "Client")).to_have_value(re.compile(r"^\d+$"))
    field(page, "Title").fill("Diwali packaging")
    field(page, "Currency").fill("INR")
    field(page, "Fixed price").fill("१२३४५६.५०")  # Devanagari digits, as typed on a Hindi keyboard
    save(page)

    expect(page.get_by_role("heading", name="Diwali packaging", level=1)).to_be_visible()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()

    page.get_by_role("link", name="Add a deliverable").click()
    field(page, "Deliverable").fill("Gift box designs")
    field(page, "Quantity").fill("७")
    field(page, "Unit").fill("designs")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Deliverable added")

    page.get_by_role("link", name="Add a milestone").click()
    field(page, "Title").fill("First drafts")
    due = datetime.date.today() + datetime.timedelta(days=21)
    field(page, "Due (Asia/Kolkata)").fill(f"{due.isoformat()}T18:00")
    save(page)
    expect(page.get_by_role("status")).to_contain_text("Milestone saved")

    # The project page: the total in Indian grouping, the quantity as a plain 7.
    expect(page.locator("#current-total")).to_have_text("₹1,23,456.50")
    money = page.get_by_role("region", name="Money")
    expect(money.get_by_role("row", name=re.compile("Current total"))).to_contain_text("₹1,23,456.50")
    scope = page.get_by_role("region", name="Scope")
    expect(scope.get_by_role("row", name=re.compile("Gift box designs"))).to_contain_text("7 designs")
    deadlines = page.get_by_role("region", name="Deadlines")
    expect(deadlines.get_by_role("listitem")).to_contain_text(f"First drafts Due {due.isoformat()} 18:00")
    page.screenshot(path=SCREENSHOT, full_page=True)

    project = Project.objects.get()
    assert (project.status, project.currency, project.price) == ("draft", "INR", Decimal("123456.50"))
    assert project.scope_items.get().quantity == Decimal("7")


def test_a_change_request_needs_a_real_date(page: Page, login, freelancer, project, approver):
    login(freelancer)
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Record a change request").click()

    expect(page.get_by_role("heading", name="Record a change request")).to_be_visible()
    field(page, "Requested by").select_option(label="Rahul")
    description = "Add a flyer for the Diwali stall: A5, both sides."
    field(page, "What should change").fill(description)
    needed_by = field(page, "Needed by")
    expect(needed_by).to_have_accessible_description(re.compile("“ASAP” is not a date"))
    # A date input takes no letters: what the client wrote ("ASAP") never reaches the server,
    # which then asks for a date instead of an empty field.
    needed_by.press_sequentially("ASAP")
    expect(needed_by).to_have_value("")
    save(page)

    expect(page.get_by_role("heading", name="Record a change request")).to_be_visible()
    expect(needed_by).to_have_accessible_description(re.compile(r"When is this needed\? Give a date"))
    expect(field(page, "What should change")).to_have_value(description)
    assert not project.change_requests.exists()
