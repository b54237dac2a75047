"""Change requests in the portal: priya asks, alice is told, rahul approves or declines the quote.

rahul's decision is kept as evidence (who, when, from where, exactly what he was shown) and is
refused when the quote changed after he opened it, or when the person may not approve.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape

from agreements.changes import change_request_approve, change_request_quote, change_request_reopen
from agreements.decisions import NOT_QUOTED, QUOTE_CHANGED, change_impact, impact_sha256
from agreements.models import ChangeDecision, ChangeRequest, ContractVersion, Notification
from clients.portal.views.requests import MAY_NOT_APPROVE
from tests.factories import NOW, ChangeRequestFactory, StoredContractVersionFactory
from tests.html import FormFields, flat

pytestmark = pytest.mark.usefixtures("frozen_now")

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
KOLKATA = ZoneInfo("Asia/Kolkata")


def by_id(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:td|span|p|div)>', html, re.S)
    assert match, f"no element #{element_id} on the page"
    return flat(re.sub(r"<[^>]+>", " ", match.group(1)))


def text_of(response) -> str:
    return flat(re.sub(r"<[^>]+>", " ", response.content.decode()))


def decide_form(response) -> dict:
    """What the browser sends from the page's decision form, untouched."""
    html = response.content.decode()
    form = re.search(r'<form[^>]*id="decide-form".*?</form>', html, re.S)
    assert form, "no decision form on the page"
    return FormFields(form.group(0)).data


# --- priya asks for a change -------------------------------------------------------------------------


def submit(browser, project, **overrides):
    data = {
        "description": "Add a trade-fair flyer.", "purpose": "Hand out at the Mumbai food fair.",
        "on_behalf_of": "Meera, our marketing head", "needed_by": "2026-12-10", **overrides,
    }
    return browser.post(reverse("portal:change_create", args=[project.pk]), data)


def test_a_submitted_change_records_who_asked_for_what_by_when(portal_as, project, contact):
    response = submit(portal_as(contact), project)

    change = ChangeRequest.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:change", args=[change.pk])
    assert change.requested_by == contact
    assert change.description == "Add a trade-fair flyer."
    assert change.purpose == "Hand out at the Mumbai food fair."
    assert change.on_behalf_of == "Meera, our marketing head"
    assert change.needed_by == datetime.date(2026, 12, 10)
    assert change.status == ChangeRequest.Status.SUBMITTED
    assert change.reference == "CR-1"


def test_the_request_page_says_who_asked_and_that_alice_will_quote_it(portal_as, project, contact):
    priya = portal_as(contact)
    response = submit(priya, project)

    text = text_of(priya.get(response["Location"]))

    # 09:00 UTC is 14:30 in Kolkata, the project's zone (priya has none of her own).
    assert (
        "Asked by Priya on 2026-11-23 14:30 · on behalf of Meera, our marketing head · needed by 2026-12-10"
        in text
    )
    assert "Alice will quote this request (price and dates) — usually within 24 hours of 2026-11-23 14:30." in text


def test_alice_gets_one_notification_and_one_email_after_the_request_is_stored(
    portal_as, project, contact, freelancer, mailoutbox, django_capture_on_commit_callbacks
):
    priya = portal_as(contact)
    with django_capture_on_commit_callbacks(execute=True):
        submit(priya, project)
        assert mailoutbox == []  # not before the request is committed

    change = ChangeRequest.objects.get(project=project)
    notification = Notification.objects.get()
    assert notification.recipient == freelancer
    assert notification.kind == Notification.Kind.CHANGE_REQUESTED
    assert notification.url == reverse("agreements:change_detail", args=[change.pk])
    assert notification.created_at == NOW
    assert notification.read_at is None
    assert notification.text == (
        "Priya (Sahyadri Foods) asked for CR-1 on “Diwali packaging”: Add a trade-fair flyer."
    )
    (email,) = mailoutbox
    assert email.to == ["alice@example.com"]
    assert email.subject == notification.text
    assert "http://testserver" + notification.url in email.body


def test_a_refused_request_notifies_nobody(portal_as, project, contact, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(portal_as(contact), project, needed_by="2026-11-01")

    assert response.status_code == 200
    assert not ChangeRequest.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []


# --- rahul decides on the quote ----------------------------------------------------------------------


@pytest.fixture
def with_version_1(quoted_change):
    """The project's contract as agreed before the change: version 1."""
    StoredContractVersionFactory(project=quoted_change.project, number=1)
    return quoted_change


def test_the_approver_sees_the_price_the_new_dates_the_scope_and_the_new_total(portal_as, quoted_change, approver):
    response = portal_as(approver).get(reverse("portal:change", args=[quoted_change.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert by_id(html, "change-status") == "Quoted"
    impact = flat(re.sub(r"<[^>]+>", " ", re.search(r'id="impact".*?</section>', html, re.S).group(0)))
    assert "Price change ₹12,000.00" in impact
    assert "Total now ₹1,85,000.00" in impact
    assert "New total if approved ₹1,97,000.00" in impact
    assert "Added to the scope 1.00 page Trade-fair flyer" in impact
    assert "Removed from the scope 7.00 designs Brand style guide" in impact
    assert 'id="decide-form"' in html


def test_the_new_dates_are_shown_in_the_approvers_time_zone(portal_as, quoted_change, approver):
    text = text_of(portal_as(approver).get(reverse("portal:change", args=[quoted_change.pk])))

    assert "New dates Final artwork: 2026-12-15 18:00 → 2026-12-20 18:00" in text


def test_approving_applies_the_quote_issues_a_new_version_and_keeps_the_evidence(
    portal_as, with_version_1, approver, freelancer, alice_client
):
    change = with_version_1
    project = change.project
    rahul = portal_as(approver)
    page = rahul.get(reverse("portal:change", args=[change.pk]))
    shown = page.context["impact"]
    data = {**decide_form(page), "decision": "approve", "note": "Go ahead, thank you."}
    assert data["impact_sha256"] == impact_sha256(shown)

    response = rahul.post(
        reverse("portal:change_decide", args=[change.pk]), data,
        HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="hi",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:change", args=[change.pk])
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.approved_by == approver
    versions = list(project.contract_versions.order_by("number").values_list("number", "change_request"))
    assert versions == [(1, None), (2, change.pk)]

    decision = ChangeDecision.objects.get()
    assert decision.change_request == change
    assert decision.decision == ChangeDecision.Decision.APPROVED
    assert decision.note == "Go ahead, thank you."
    assert decision.contact == approver
    assert decision.email == approver.email
    assert decision.at == NOW
    assert decision.at.utcoffset() == datetime.timedelta(0)
    assert decision.ip == "127.0.0.1"
    assert decision.user_agent == BROWSER
    assert decision.language == "hi"
    assert decision.impact_seen == shown
    assert decision.impact_seen["total_after"] == "197000.00"
    assert decision.impact_sha256 == data["impact_sha256"]
    alices_page = alice_client.get(reverse("agreements:change_detail", args=[change.pk])).content.decode()
    assert "Decided in the portal" in alices_page and BROWSER in alices_page and "127.0.0.1" in alices_page

    portal_page = rahul.get(reverse("portal:project", args=[project.pk])).content.decode()
    alice_page = alice_client.get(reverse("agreements:project_detail", args=[project.pk])).content.decode()
    assert by_id(portal_page, "current-total") == "₹1,97,000.00"
    assert by_id(alice_page, "current-total") == "₹1,97,000.00"

    notification = Notification.objects.get()
    assert notification.recipient == freelancer
    assert notification.kind == Notification.Kind.CHANGE_DECIDED
    assert notification.text == f"Rahul approved {change.reference} on “Diwali packaging”."


def test_after_approving_the_change_page_shows_the_decision(portal_as, with_version_1, approver):
    change = with_version_1
    rahul = portal_as(approver)
    data = {**decide_form(rahul.get(reverse("portal:change", args=[change.pk]))), "decision": "approve",
            "note": "Go ahead."}

    response = rahul.post(reverse("portal:change_decide", args=[change.pk]), data, follow=True)

    html = response.content.decode()
    assert f"You approved {change.reference}. The new contract version is under Documents." in html
    assert by_id(html, "change-status") == "Approved"
    assert by_id(html, "decision-record") == "Rahul approved this change on 2026-11-23 14:30. “Go ahead.”"
    assert 'id="decide-form"' not in html


def test_declining_keeps_the_agreement_and_keeps_the_evidence(
    portal_as, with_version_1, approver, freelancer, alice_client
):
    change = with_version_1
    project = change.project
    rahul = portal_as(approver)
    page = rahul.get(reverse("portal:change", args=[change.pk]))
    data = {**decide_form(page), "decision": "decline", "note": "Too expensive this year."}

    response = rahul.post(reverse("portal:change_decide", args=[change.pk]), data, HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.DECLINED
    assert change.decision_note == "Too expensive this year."
    assert change.approved_by is None
    assert project.contract_versions.count() == 1
    assert project.scope_items.current().filter(title="Brand style guide").exists()
    assert not project.scope_items.filter(title="Trade-fair flyer").exists()

    decision = ChangeDecision.objects.get()
    assert decision.decision == ChangeDecision.Decision.DECLINED
    assert decision.contact == approver
    assert decision.email == approver.email
    assert decision.at == NOW
    assert decision.ip == "127.0.0.1"
    assert decision.user_agent == BROWSER
    assert decision.language == "en"
    assert decision.impact_seen == page.context["impact"]
    assert decision.impact_sha256 == data["impact_sha256"]

    portal_page = rahul.get(reverse("portal:project", args=[project.pk])).content.decode()
    alice_page = alice_client.get(reverse("agreements:project_detail", args=[project.pk])).content.decode()
    assert by_id(portal_page, "current-total") == "₹1,85,000.00"
    assert by_id(alice_page, "current-total") == "₹1,85,000.00"
    notification = Notification.objects.get()
    assert notification.recipient == freelancer
    assert notification.text == f"Rahul declined {change.reference} on “Diwali packaging”."


def alice_edits_the_quote(alice_client, change, price_delta: str):
    """alice takes the quote back, changes its price and quotes it again, all in her browser."""
    assert alice_client.post(reverse("agreements:change_reopen", args=[change.pk])).status_code == 302
    form = alice_client.get(reverse("agreements:change_edit", args=[change.pk]))
    data = {**FormFields(form.content.decode()).data, "price_delta": price_delta}
    saved = alice_client.post(reverse("agreements:change_edit", args=[change.pk]), data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert alice_client.post(reverse("agreements:change_quote", args=[change.pk])).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.QUOTED
    assert change.price_delta == Decimal(price_delta)


def impact_text(response) -> str:
    html = response.content.decode()
    return flat(re.sub(r"<[^>]+>", " ", re.search(r'id="impact".*?</section>', html, re.S).group(0)))


def requoted(change, edit) -> None:
    """alice takes the quote back, edits its impact and quotes it again.

    The domain's reopen and quote; the edit itself (what her change form saves) is made directly.
    """
    change_request_reopen(change_request=change)
    edit(change)
    change_request_quote(change_request=change, now=NOW)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.QUOTED


def the_price_goes_up(change, alice_client, approver):
    alice_edits_the_quote(alice_client, change, "15000.00")


def a_new_date_moves(change, alice_client, approver):
    requoted(change, lambda c: c.date_changes.update(
        new_due_at=datetime.datetime(2026, 12, 21, 18, 0, tzinfo=KOLKATA)
    ))


def a_deliverable_is_added(change, alice_client, approver):
    requoted(change, lambda c: c.scope_additions.create(title="Banner", quantity=1))


def the_removal_is_taken_out(change, alice_client, approver):
    assert change.remove_scope_items.exists()
    requoted(change, lambda c: c.remove_scope_items.clear())


def another_change_is_approved(change, alice_client, approver):
    """Nothing in this quote changes, but the project total it adds to does."""
    other = ChangeRequestFactory(project=change.project, price_delta=Decimal("5000"), description="Add a banner.")
    change_request_quote(change_request=other, now=NOW)
    change_request_approve(change_request=other, approved_by=approver, recorded_by=None, now=NOW)


@pytest.mark.parametrize(("edit", "now_shown", "no_longer_shown"), [
    (the_price_goes_up, ["Price change ₹15,000.00", "New total if approved ₹2,00,000.00"], ["₹12,000.00"]),
    (a_new_date_moves, ["Final artwork: 2026-12-15 18:00 → 2026-12-21 18:00"], ["2026-12-20"]),
    (a_deliverable_is_added, ["Added to the scope 1.00 page Trade-fair flyer 1.00 Banner"], []),
    (the_removal_is_taken_out, ["New total if approved ₹1,97,000.00"], ["Removed from the scope", "Brand style guide"]),
    (another_change_is_approved, ["Total now ₹1,90,000.00", "New total if approved ₹2,02,000.00"], ["₹1,85,000.00"]),
], ids=["price", "date", "deliverable added", "removal taken out", "another change approved"])
def test_a_quote_edited_after_the_page_was_opened_is_not_approved(
    portal_as, with_version_1, approver, alice_client, edit, now_shown, no_longer_shown
):
    change = with_version_1
    rahul = portal_as(approver)
    data = {**decide_form(rahul.get(reverse("portal:change", args=[change.pk]))), "decision": "approve"}
    edit(change, alice_client, approver)
    versions = list(change.project.contract_versions.values_list("number", flat=True))

    response = rahul.post(reverse("portal:change_decide", args=[change.pk]), data)

    assert response.status_code == 409
    assert escape(str(QUOTE_CHANGED)) in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.QUOTED
    assert not ChangeDecision.objects.exists()
    assert list(change.project.contract_versions.values_list("number", flat=True)) == versions
    assert not Notification.objects.exists()
    # The page shown again has the new impact; deciding from it is what rahul now sees.
    text = impact_text(response)
    for shown in now_shown:
        assert shown in text
    for gone in no_longer_shown:
        assert gone not in text
    fresh = decide_form(response)
    assert fresh["impact_sha256"] == impact_sha256(change_impact(change))
    assert fresh["impact_sha256"] != data["impact_sha256"]


def test_after_a_refused_stale_decision_the_new_quote_can_be_approved(
    portal_as, with_version_1, approver, alice_client
):
    change = with_version_1
    rahul = portal_as(approver)
    stale = {**decide_form(rahul.get(reverse("portal:change", args=[change.pk]))), "decision": "approve"}
    alice_edits_the_quote(alice_client, change, "15000.00")
    refused = rahul.post(reverse("portal:change_decide", args=[change.pk]), stale)

    response = rahul.post(reverse("portal:change_decide", args=[change.pk]), decide_form(refused))

    assert response.status_code == 302
    decision = ChangeDecision.objects.get()
    assert decision.decision == ChangeDecision.Decision.APPROVED
    assert decision.impact_seen["price_delta"] == "15000.00"
    assert decision.impact_seen["total_after"] == "200000.00"


def test_a_contact_who_may_not_approve_sees_the_quote_but_cannot_decide(portal_as, quoted_change, contact):
    response = portal_as(contact).get(reverse("portal:change", args=[quoted_change.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "New total if approved ₹1,97,000.00" in text_of(response)
    assert 'id="decide-form"' not in html
    assert reverse("portal:change_decide", args=[quoted_change.pk]) not in html
    assert by_id(html, "cannot-decide") == (
        "Someone at Sahyadri Foods who may approve changes decides on this quote. "
        "You can see it, but not approve or decline it."
    )


def test_a_forged_decision_from_a_contact_who_may_not_approve_is_refused_with_a_reason(
    portal_as, with_version_1, contact
):
    change = with_version_1
    data = {"decision": "approve", "note": "", "impact_sha256": impact_sha256(change_impact(change))}

    response = portal_as(contact).post(reverse("portal:change_decide", args=[change.pk]), data)

    assert response.status_code == 403
    assert by_id(response.content.decode(), "forbidden-reason") == flat(
        str(MAY_NOT_APPROVE) % {"client": "Sahyadri Foods", "freelancer": "Alice"}
    )
    assert "Nothing was changed." in text_of(response)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.QUOTED
    assert not ChangeDecision.objects.exists()
    assert change.project.contract_versions.count() == 1
    assert not Notification.objects.exists()


def test_approving_twice_records_one_decision_and_one_new_version(portal_as, with_version_1, approver):
    change = with_version_1
    rahul = portal_as(approver)
    data = {**decide_form(rahul.get(reverse("portal:change", args=[change.pk]))), "decision": "approve"}

    first = rahul.post(reverse("portal:change_decide", args=[change.pk]), data)
    second = rahul.post(reverse("portal:change_decide", args=[change.pk]), data)

    assert first.status_code == 302
    assert second.status_code == 409
    assert ChangeDecision.objects.count() == 1
    assert ContractVersion.objects.filter(project=change.project).count() == 2
    assert Notification.objects.count() == 1
    assert by_id(second.content.decode(), "decision-record").startswith("Rahul approved this change on")


def test_deciding_on_a_request_that_is_no_longer_quoted_says_so(portal_as, with_version_1, approver, alice_client):
    change = with_version_1
    rahul = portal_as(approver)
    data = {**decide_form(rahul.get(reverse("portal:change", args=[change.pk]))), "decision": "approve"}
    alice_client.post(reverse("agreements:change_withdraw", args=[change.pk]), {"note": "Client phoned."})

    response = rahul.post(reverse("portal:change_decide", args=[change.pk]), data)

    assert response.status_code == 409
    assert not ChangeDecision.objects.exists()
    assert str(NOT_QUOTED) in response.content.decode()


def test_the_approvers_are_emailed_when_alice_quotes(
    alice_client, portal_as, approver, contact, project, mailoutbox, django_capture_on_commit_callbacks
):
    portal_as(approver)
    portal_as(contact)  # has portal access, but may not approve: not asked to decide
    change = ChangeRequestFactory(project=project, requested_by=contact, price_delta=Decimal("8000"))

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("agreements:change_quote", args=[change.pk]))

    (email,) = mailoutbox
    assert email.to == [f"{approver.name} <{approver.email}>"]
    assert "₹8,000.00" in email.body and "Need help?" in email.body
    assert reverse("portal:change", args=[change.pk]) in email.body
