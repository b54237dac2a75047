"""Revision rounds in the portal: the client reads the price of the next round before asking for it.

alice's project includes 2 rounds per deliverable; each round after that costs a fixed ₹4,000.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Notification, Project, RevisionRequest
from agreements.revisions import REVISION_QUOTE_CHANGED
from tests.factories import NOW, RevisionRequestFactory, ScopeItemFactory
from tests.html import FormFields, flat

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def priced_project(project):
    project.free_revision_rounds = 2
    project.revision_charge = Project.RevisionCharge.FIXED
    project.extra_round_fee = Decimal("4000")
    project.currency = "INR"
    project.save()
    return project


@pytest.fixture
def gift_box(priced_project):
    return ScopeItemFactory(project=priced_project, title="Gift box designs")


def url(item):
    return reverse("portal:revision_create", args=[item.pk])


def quote_box(response) -> str:
    match = re.search(r'id="revision-quote">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no quote on the page"
    return flat(match.group(1))


def form_data(response, description="Make the marigolds warmer.") -> dict:
    html = response.content.decode()
    form = re.search(r'<form method="post" novalidate>.*?</form>', html, re.S)
    return {**FormFields(form.group(0)).data, "description": description}


def rounds_recorded(item) -> list[tuple]:
    return list(item.revisions.order_by("round_number").values_list("round_number", "charge"))


def test_the_first_round_is_included_at_no_charge(portal_as, gift_box, contact):
    response = portal_as(contact).get(url(gift_box))

    assert response.status_code == 200
    assert quote_box(response) == "Round 1 of 2 included — no charge."
    assert "Ask for this round</button>" in response.content.decode()


def test_after_the_included_rounds_the_page_says_what_the_next_one_costs(portal_as, gift_box, contact):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    RevisionRequestFactory(scope_item=gift_box, round_number=2)

    response = portal_as(contact).get(url(gift_box))

    assert quote_box(response) == (
        "Round 3 — ₹4,000.00 will be added to the price (2 rounds are included)."
    )
    assert "Ask for this round and accept the charge</button>" in response.content.decode()


def test_a_free_round_is_recorded_free_for_the_contact_and_alice_is_told(portal_as, gift_box, contact, freelancer):
    priya = portal_as(contact)
    response = priya.post(url(gift_box), form_data(priya.get(url(gift_box))))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:project", args=[gift_box.project_id])
    revision = RevisionRequest.objects.get()
    assert (revision.round_number, revision.charge) == (1, Decimal("0"))
    assert revision.requested_by == contact
    assert revision.description == "Make the marigolds warmer."
    assert revision.created_at == NOW
    notification = Notification.objects.get()
    assert notification.recipient == freelancer
    assert notification.kind == Notification.Kind.REVISION_REQUESTED
    assert notification.text == "Priya asked for revision round 1 of “Gift box designs” (Diwali packaging)."


def test_a_paid_round_keeps_the_charge_it_was_asked_at(portal_as, gift_box, contact, freelancer, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    RevisionRequestFactory(scope_item=gift_box, round_number=2)
    priya = portal_as(contact)

    with django_capture_on_commit_callbacks(execute=True):
        response = priya.post(url(gift_box), form_data(priya.get(url(gift_box))), follow=True)

    assert rounds_recorded(gift_box) == [(1, Decimal("0")), (2, Decimal("0")), (3, Decimal("4000"))]
    assert RevisionRequest.objects.get(round_number=3).requested_by == contact
    text = flat(re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert (
        "Round 3 of “Gift box designs” is requested. "
        "Round 3 — ₹4,000.00 will be added to the price (2 rounds are included)."
    ) in text
    assert "3 used of 2 included · 0 left" in text
    assert re.search(r"Extra revision rounds\s*₹4,000.00", text)
    # The price is fixed at asking: a later change of policy does not re-price the round.
    Project.objects.filter(pk=gift_box.project_id).update(extra_round_fee=Decimal("6000"))
    assert RevisionRequest.objects.get(round_number=3).charge == Decimal("4000")
    notification = Notification.objects.get()
    assert notification.recipient == freelancer
    assert "revision round 3" in notification.text
    (email,) = mailoutbox
    assert email.to == ["alice@example.com"]


def test_a_round_asked_for_meanwhile_changes_the_price_and_the_submit_is_refused(portal_as, gift_box, contact):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    priya = portal_as(contact)
    page = priya.get(url(gift_box))
    assert quote_box(page) == "Round 2 of 2 included — no charge."
    RevisionRequestFactory(scope_item=gift_box, round_number=2)  # a colleague asked first

    response = priya.post(url(gift_box), form_data(page))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(REVISION_QUOTE_CHANGED) in html
    assert rounds_recorded(gift_box) == [(1, Decimal("0")), (2, Decimal("0"))]
    assert not Notification.objects.exists()
    # What is shown now is the new price, and the text typed is kept.
    assert quote_box(response) == "Round 3 — ₹4,000.00 will be added to the price (2 rounds are included)."
    fresh = form_data(response, description=None)
    assert fresh["quoted_round"] == "3"
    assert Decimal(fresh["quoted_charge"]) == Decimal("4000")
    assert "Make the marigolds warmer." in html


def test_submitting_again_after_the_refusal_records_the_round_at_the_new_price(portal_as, gift_box, contact):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    priya = portal_as(contact)
    page = priya.get(url(gift_box))
    RevisionRequestFactory(scope_item=gift_box, round_number=2)
    refused = priya.post(url(gift_box), form_data(page))

    response = priya.post(url(gift_box), form_data(refused))

    assert response.status_code == 302
    assert rounds_recorded(gift_box) == [(1, Decimal("0")), (2, Decimal("0")), (3, Decimal("4000"))]


def test_a_forged_lower_price_is_refused(portal_as, gift_box, contact):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    RevisionRequestFactory(scope_item=gift_box, round_number=2)
    priya = portal_as(contact)
    data = {**form_data(priya.get(url(gift_box))), "quoted_charge": "0"}

    response = priya.post(url(gift_box), data)

    assert str(REVISION_QUOTE_CHANGED) in response.content.decode()
    assert rounds_recorded(gift_box) == [(1, Decimal("0")), (2, Decimal("0"))]


def test_the_project_page_counts_rounds_used_and_left(portal_as, gift_box, contact):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)

    html = portal_as(contact).get(reverse("portal:project", args=[gift_box.project_id])).content.decode()

    assert "1 used of 2 included · 1 left" in flat(html)
    assert url(gift_box) in html


def test_a_closed_project_takes_no_more_revision_rounds(portal_as, gift_box, contact):
    RevisionRequestFactory(scope_item=gift_box, round_number=1)
    RevisionRequestFactory(scope_item=gift_box, round_number=2)
    priya = portal_as(contact)
    page = priya.get(url(gift_box))
    Project.objects.filter(pk=gift_box.project_id).update(status=Project.Status.CANCELLED)

    priya.post(url(gift_box), form_data(page))

    assert rounds_recorded(gift_box) == [(1, Decimal("0")), (2, Decimal("0"))]
    assert not Notification.objects.exists()
