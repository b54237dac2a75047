"""agreements/views/changes.py: recording, quoting and approving change requests in the browser."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agreements.forms.base import NEEDED_BY_PAST, NEEDED_BY_REQUIRED
from agreements.models import ChangeRequest
from agreements.views.changes import NOT_EDITABLE
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
)
from tests.html import FormFields

UTC = datetime.UTC
KOLKATA = ZoneInfo("Asia/Kolkata")


pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def milestone(project):
    return MilestoneFactory(
        project=project, title="Final artwork", due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    )


@pytest.fixture
def style_guide(project):
    return ScopeItemFactory(project=project, title="Brand style guide")


def create_url(project):
    return reverse("agreements:change_create", args=[project.pk])


def change_data(requested_by, dates=(), additions=(), **overrides):
    """The change form as posted: the request, then the `dates` and `additions` formsets."""
    data = {
        "requested_by": requested_by.pk,
        "on_behalf_of": "Their marketing head",
        "purpose": "Hand out at the trade fair.",
        "needed_by": "2026-12-20",
        "description": "Add a one-page flyer.",
        "price_delta": "12000",
        "dates-TOTAL_FORMS": str(len(dates)),
        "dates-INITIAL_FORMS": "0",
        "dates-MIN_NUM_FORMS": "0",
        "dates-MAX_NUM_FORMS": "1000",
        "additions-TOTAL_FORMS": str(len(additions)),
        "additions-INITIAL_FORMS": "0",
        "additions-MIN_NUM_FORMS": "0",
        "additions-MAX_NUM_FORMS": "1000",
    }
    for i, (milestone, new_due_at) in enumerate(dates):
        data[f"dates-{i}-milestone"] = milestone.pk
        data[f"dates-{i}-new_due_at"] = new_due_at
    for i, addition in enumerate(additions):
        for name, value in addition.items():
            data[f"additions-{i}-{name}"] = value
    data.update(overrides)
    return data


def post_change(browser, project, data, **kwargs):
    return browser.post(create_url(project), data, **kwargs)


# Recording a request

def test_the_create_page_has_both_formsets(alice_client, project, milestone):
    response = alice_client.get(create_url(project))

    html = response.content.decode()
    assert 'name="dates-TOTAL_FORMS"' in html
    assert 'name="additions-TOTAL_FORMS"' in html
    assert "New due (Asia/Kolkata)" in html


def test_the_page_as_rendered_saves_with_only_the_request_filled_in(alice_client, project, contact, milestone):
    """The empty extra rows of both formsets, posted back untouched, add nothing and refuse nothing."""
    data = FormFields(alice_client.get(create_url(project)).content.decode()).data
    data.pop("csrfmiddlewaretoken", None)
    assert data["dates-TOTAL_FORMS"] == "1" and data["additions-TOTAL_FORMS"] == "1"
    data.update(requested_by=contact.pk, needed_by="2026-12-20", description="Add a flyer.", price_delta="12000")

    response = post_change(alice_client, project, data)

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.price_delta == Decimal("12000")
    assert not change.date_changes.exists()
    assert not change.scope_additions.exists()


def test_it_asks_for_the_date_when_needed_by_is_blank(alice_client, project, contact):
    data = change_data(contact, needed_by="", description="Add a flyer, quickly.")

    response = post_change(alice_client, project, data)

    assert response.status_code == 200
    assert response.context["form"].errors["needed_by"] == [str(NEEDED_BY_REQUIRED)]
    html = response.content.decode()
    assert "When is this needed?" in html
    assert "Add a flyer, quickly." in html
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("typed", ["ASAP", "जल्दी", "asap!"])
def test_it_says_asap_is_not_a_date_and_asks_when_it_is_really_needed(alice_client, project, contact, typed):
    response = post_change(alice_client, project, change_data(contact, needed_by=typed))

    [message] = response.context["form"].errors["needed_by"]
    assert message.startswith(f"“{typed}” is not a date. Ask when it is really needed")
    html = response.content.decode()
    assert f'value="{typed}"' in html
    assert "Add a one-page flyer." in html
    assert not ChangeRequest.objects.exists()


def test_the_example_date_it_suggests_is_not_already_past(alice_client, project, contact):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC), tick=False):
        response = post_change(alice_client, project, change_data(contact, needed_by="ASAP"))

    [message] = response.context["form"].errors["needed_by"]
    example = datetime.date.fromisoformat(message.rsplit("e.g. ", 1)[1].rstrip("."))
    assert example >= datetime.date(2026, 11, 30)


def test_it_refuses_a_date_already_past(alice_client, project, contact):
    response = post_change(alice_client, project, change_data(contact, needed_by="2026-11-22"))

    assert response.context["form"].errors["needed_by"] == [str(NEEDED_BY_PAST)]
    assert 'value="2026-11-22"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_today_and_past_are_judged_in_the_projects_zone(alice_client, freelancer, client_company, contact):
    """At 20:00 UTC on the 23rd it is already the 24th in Kathmandu, and still the 23rd in New York."""
    with time_machine.travel(datetime.datetime(2026, 11, 23, 20, 0, tzinfo=UTC), tick=False):
        for zone, accepted in (("America/New_York", True), ("Asia/Kathmandu", False)):
            project = ProjectFactory(owner=freelancer, client=client_company, timezone=zone)
            response = post_change(alice_client, project, change_data(contact, needed_by="2026-11-23"))
            assert project.change_requests.exists() is accepted, zone
            if not accepted:
                assert response.context["form"].errors["needed_by"] == [str(NEEDED_BY_PAST)]


def test_it_reads_a_date_typed_with_devanagari_digits(alice_client, project, contact):
    post_change(alice_client, project, change_data(contact, needed_by="२०२६-१२-२०"))

    assert ChangeRequest.objects.get().needed_by == datetime.date(2026, 12, 20)


def test_it_records_the_request_and_its_impact(alice_client, project, contact, milestone, style_guide):
    response = post_change(alice_client, project, change_data(
        contact,
        dates=[(milestone, "2026-12-20T18:00")],
        additions=[{"title": "Trade-fair flyer", "quantity": "1", "unit": "page", "exclusions": "No printing."}],
        remove_scope_items=[style_guide.pk],
    ), follow=True)

    change = ChangeRequest.objects.get()
    assert change.reference == "CR-1"
    assert change.status == ChangeRequest.Status.SUBMITTED
    assert change.requested_by == contact
    assert change.on_behalf_of == "Their marketing head"
    assert change.needed_by == datetime.date(2026, 12, 20)
    assert change.price_delta == Decimal("12000")
    assert change.created_at == NOW
    assert change.date_changes.get().new_due_at == datetime.datetime(2026, 12, 20, 12, 30, tzinfo=UTC)
    assert list(change.scope_additions.values_list("title", "quantity", "unit")) == [
        ("Trade-fair flyer", Decimal("1"), "page")
    ]
    assert list(change.remove_scope_items.all()) == [style_guide]
    assert response.redirect_chain[-1][0] == change.get_absolute_url()
    assert "CR-1 saved." in response.content.decode()
    # Nothing is applied before approval.
    milestone.refresh_from_db()
    assert milestone.due_at == datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    assert project.scope_items.current().count() == 1


@pytest.mark.parametrize(("zone", "stored_utc"), [
    ("Asia/Kathmandu", datetime.datetime(2026, 12, 20, 12, 15, tzinfo=UTC)),
    ("America/New_York", datetime.datetime(2026, 12, 20, 23, 0, tzinfo=UTC)),
])
def test_it_reads_the_new_milestone_date_in_the_projects_zone(
    alice_client, freelancer, client_company, contact, zone, stored_utc
):
    project = ProjectFactory(owner=freelancer, client=client_company, timezone=zone)
    milestone = MilestoneFactory(project=project)

    post_change(alice_client, project, change_data(contact, dates=[(milestone, "2026-12-20T18:00")]))

    assert ChangeRequest.objects.get().date_changes.get().new_due_at == stored_utc


def test_it_refuses_a_new_date_in_the_dst_gap(alice_client, freelancer, client_company, contact):
    project = ProjectFactory(
        owner=freelancer, client=client_company, timezone="America/New_York", start_date=datetime.date(2026, 1, 1)
    )
    milestone = MilestoneFactory(project=project)

    response = post_change(alice_client, project, change_data(contact, dates=[(milestone, "2026-03-08T02:30")]))

    assert response.status_code == 200
    assert "America/New_York" in response.context["dates"].forms[0].errors["new_due_at"][0]
    assert not ChangeRequest.objects.exists()


def test_it_refuses_a_new_date_before_the_project_starts(alice_client, project, contact, milestone):
    response = post_change(alice_client, project, change_data(contact, dates=[(milestone, "2026-10-20T18:00")]))

    assert response.context["dates"].forms[0].errors["new_due_at"] == [
        "The deadline is before the project starts (2026-11-01)."
    ]
    assert not ChangeRequest.objects.exists()


def test_it_refuses_another_projects_milestone(alice_client, project, contact, freelancer, client_company):
    elsewhere = MilestoneFactory(project=ProjectFactory(owner=freelancer, client=client_company))

    response = post_change(alice_client, project, change_data(contact, dates=[(elsewhere, "2026-12-20T18:00")]))

    assert "milestone" in response.context["dates"].forms[0].errors
    assert not ChangeRequest.objects.exists()


def test_it_refuses_a_zero_quantity_deliverable(alice_client, project, contact):
    response = post_change(alice_client, project, change_data(
        contact, additions=[{"title": "Flyer", "quantity": "0", "unit": "page"}],
    ))

    assert response.context["additions"].forms[0].errors["quantity"] == ["The quantity must be more than zero."]
    assert 'value="Flyer"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_it_refuses_a_price_change_too_precise_for_the_currency(alice_client, project, contact):
    response = post_change(alice_client, project, change_data(contact, price_delta="100.555"))

    assert response.context["form"].errors["price_delta"] == ["INR amounts have at most 2 decimal places."]
    assert 'value="100.555"' in response.content.decode()


def test_it_numbers_requests_per_project(alice_client, project, contact, freelancer, client_company):
    other = ProjectFactory(owner=freelancer, client=client_company)

    for target in (project, project, other, project):
        assert post_change(alice_client, target, change_data(contact)).status_code == 302

    assert sorted(project.change_requests.values_list("number", flat=True)) == [1, 2, 3]
    assert list(other.change_requests.values_list("number", flat=True)) == [1]


def test_it_offers_only_contacts_of_the_projects_client(alice_client, project, contact, approver):
    stranger = ContactFactory(name="Someone else")

    response = post_change(alice_client, project, change_data(stranger))

    assert "requested_by" in response.context["form"].errors
    assert set(response.context["form"].fields["requested_by"].queryset) == {contact, approver}
    assert not ChangeRequest.objects.exists()


def test_bob_cannot_record_a_change_on_alices_project(bob_client, project, contact):
    assert post_change(bob_client, project, change_data(contact)).status_code == 404
    assert not ChangeRequest.objects.exists()


# The request's page, quoting and approval

@pytest.fixture
def submitted(project, contact, milestone, style_guide):
    project.price = Decimal("185000")
    project.save()
    change = ChangeRequestFactory(
        project=project, number=1, requested_by=contact, price_delta=Decimal("12000"), description="Add a flyer."
    )
    change.date_changes.create(milestone=milestone, new_due_at=datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA))
    change.scope_additions.create(title="Trade-fair flyer", quantity=1, unit="page")
    change.remove_scope_items.add(style_guide)
    return change


def detail(browser, change):
    response = browser.get(change.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_detail_page_shows_the_impact_and_the_total_if_approved(alice_client, submitted):
    html = detail(alice_client, submitted)

    assert "CR-1" in html and "Submitted" in html
    assert "₹12,000.00" in html
    assert "₹1,85,000.00 → if approved: <strong>₹1,97,000.00</strong>" in html
    assert "Final artwork: 2026-12-15 18:00 → <strong>2026-12-20 18:00</strong>" in html
    assert "1 page Trade-fair flyer" in html
    assert "Brand style guide" in html
    assert "Send quote to client" in html
    assert "Approve and apply" not in html


def test_quote_then_approve_applies_the_impact_and_shows_before_and_after(alice_client, project, submitted, approver):
    quoted = alice_client.post(reverse("agreements:change_quote", args=[submitted.pk]), follow=True)
    assert "CR-1 is now “Quoted”." in quoted.content.decode()
    assert "Approve and apply" in quoted.content.decode()

    response = alice_client.post(
        reverse("agreements:change_approve", args=[submitted.pk]),
        {"approved_by": approver.pk, "note": "Email of 24 November"}, follow=True,
    )

    html = response.content.decode()
    assert "CR-1 is now “Approved”." in html
    assert "₹1,85,000.00 → <strong>₹1,97,000.00</strong>" in html
    assert "Final artwork: 2026-12-15 18:00 → 2026-12-20 18:00" in html
    assert "approved by Rahul" in html
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.APPROVED
    assert submitted.approved_by == approver
    assert submitted.decided_at == NOW
    assert project.milestones.get().due_at == datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA)
    assert list(project.scope_items.current().values_list("title", flat=True)) == ["Trade-fair flyer"]
    page = alice_client.get(project.get_absolute_url()).content.decode()
    assert '<td class="amount" id="current-total">₹1,97,000.00</td>' in page


def test_only_contacts_who_may_approve_are_offered(alice_client, submitted, contact, approver):
    alice_client.post(reverse("agreements:change_quote", args=[submitted.pk]))

    response = alice_client.get(submitted.get_absolute_url())

    assert list(response.context["decision_form"].fields["approved_by"].queryset) == [approver]
    html = response.content.decode()
    assert f'<option value="{approver.pk}">Rahul</option>' in html
    assert f'<option value="{contact.pk}">' not in html


def test_a_forged_approval_by_a_contact_who_may_not_approve_applies_nothing(
    alice_client, project, submitted, contact, milestone
):
    alice_client.post(reverse("agreements:change_quote", args=[submitted.pk]))

    response = alice_client.post(
        reverse("agreements:change_approve", args=[submitted.pk]), {"approved_by": contact.pk}, follow=True
    )

    assert "Select a valid choice." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.QUOTED
    assert submitted.approved_by is None
    assert submitted.applied_impact is None
    milestone.refresh_from_db()
    assert milestone.due_at == datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    assert list(project.scope_items.current().values_list("title", flat=True)) == ["Brand style guide"]


def test_it_cannot_approve_before_quoting(alice_client, submitted, approver):
    response = alice_client.post(
        reverse("agreements:change_approve", args=[submitted.pk]), {"approved_by": approver.pk}, follow=True
    )

    assert "Not possible while the change request is “Submitted”." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.SUBMITTED


def test_editing_an_approved_request_redirects_with_a_message(alice_client, submitted):
    ChangeRequest.objects.filter(pk=submitted.pk).update(status=ChangeRequest.Status.APPROVED)

    response = alice_client.get(reverse("agreements:change_edit", args=[submitted.pk]), follow=True)

    assert response.redirect_chain == [(submitted.get_absolute_url(), 302)]
    assert str(NOT_EDITABLE) in response.content.decode()


def test_editing_a_submitted_request_keeps_its_number_and_updates_it(alice_client, project, submitted, contact):
    form = alice_client.get(reverse("agreements:change_edit", args=[submitted.pk]))
    dates = form.context["dates"]
    assert dates.forms[0].initial["new_due_at"] == datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA)
    assert 'value="2026-12-20T18:00"' in form.content.decode()

    data = change_data(contact, price_delta="15000")
    data.update({
        "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "1",
        "dates-0-id": dates.forms[0].instance.pk, "dates-0-milestone": dates.forms[0].instance.milestone_id,
        "dates-0-new_due_at": "2026-12-22T18:00",
    })
    alice_client.post(reverse("agreements:change_edit", args=[submitted.pk]), data)

    submitted.refresh_from_db()
    assert submitted.number == 1
    assert submitted.price_delta == Decimal("15000")
    assert submitted.date_changes.get().new_due_at == datetime.datetime(2026, 12, 22, 18, 0, tzinfo=KOLKATA)


def test_bob_cannot_see_or_approve_alices_request(bob_client, submitted, approver):
    assert bob_client.get(submitted.get_absolute_url()).status_code == 404
    assert bob_client.post(
        reverse("agreements:change_approve", args=[submitted.pk]), {"approved_by": approver.pk}
    ).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.SUBMITTED



@pytest.mark.parametrize("count", [1, 20])
def test_the_change_page_runs_the_same_number_of_queries_however_big_the_project(
    alice_client, project, contact, count, django_assert_num_queries
):
    change = ChangeRequestFactory(project=project, requested_by=contact, price_delta=Decimal("100"))
    for _ in range(count):
        item = ScopeItemFactory(project=project)
        RevisionRequestFactory(scope_item=item, round_number=1)
        milestone = MilestoneFactory(project=project)
        change.date_changes.create(milestone=milestone, new_due_at=milestone.due_at)
        change.scope_additions.create(title="Flyer", quantity=1)
        change.remove_scope_items.add(item)

    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        response = alice_client.get(reverse("agreements:change_detail", args=[change.pk]))

    assert response.content.decode().count("Flyer") == count


# session, user, the change with its project, client and contact, the project again with its
# money (milestones, change requests, scope items, revisions), date changes, additions, removals.
CHANGE_PAGE_QUERIES = 11
