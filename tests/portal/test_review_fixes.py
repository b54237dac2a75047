"""Fixes from the security review of the portal: each test shows what a person would have met before."""

import datetime
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.changes import change_request_quote, change_request_reopen
from agreements.decisions import QUOTE_CHANGED
from agreements.models import ChangeRequest, Project
from clients.models import HelpRequest, PortalAccount
from tests.factories import ChangeRequestFactory, ClientFactory, ContactFactory, ProjectFactory
from tests.html import flat
from tests.portal.conftest import give_portal_access, portal_log_in
from tests.portal.test_access_invitations import invitation_error, invite, open_link, set_password
from tests.portal.test_work_change_requests import decide_form


def test_a_contact_at_two_freelancers_clients_says_whom_a_question_is_for(
    freelancer, other_freelancer, approver, project, portal_as
):
    """Before: a question without a project went to whichever client sorted first, maybe bob's."""
    bobs_client = ClientFactory(owner=other_freelancer, name="Konkan Traders")
    give_portal_access(ContactFactory(client=bobs_client, name="Rahul (Konkan)", email=approver.email))
    rahul = portal_as(approver)
    question = {"what": "Where is the invoice?", "needed_by": (timezone.localdate() + datetime.timedelta(days=5))}

    unsure = rahul.post(reverse("portal:help_create"), question)
    sure = rahul.post(reverse("portal:help_create"), {**question, "client": str(project.client_id)})

    assert unsure.status_code == 200
    assert "Choose whom you are asking." in unsure.content.decode()
    assert "Where is the invoice?" in unsure.content.decode()  # nothing typed is lost
    assert sure.status_code == 302
    (asked,) = HelpRequest.objects.all()
    assert (asked.client, asked.contact) == (project.client, approver)


def test_the_help_form_with_a_project_id_that_is_not_a_number_still_opens(portal_as, contact):
    response = portal_as(contact).get(reverse("portal:help_create") + "?project=abc")

    assert response.status_code == 200
    assert "What do you need help with?" in response.content.decode()


def test_an_approved_change_shows_the_totals_it_had_not_counted_twice(portal_as, quoted_change, approver):
    rahul = portal_as(approver)
    page = rahul.get(reverse("portal:change", args=[quoted_change.pk]))
    rahul.post(reverse("portal:change_decide", args=[quoted_change.pk]), {**decide_form(page), "decision": "approve"})

    html = flat(re.sub(r"<[^>]+>", " ", rahul.get(reverse("portal:change", args=[quoted_change.pk])).content.decode()))

    assert "Total before ₹1,85,000.00" in html
    assert "Total after ₹1,97,000.00" in html


def test_a_quote_sent_again_with_other_words_but_the_same_numbers_needs_a_new_look(
    portal_as, quoted_change, approver
):
    rahul = portal_as(approver)
    seen = decide_form(rahul.get(reverse("portal:change", args=[quoted_change.pk])))
    change_request_reopen(change_request=quoted_change)
    ChangeRequest.objects.filter(pk=quoted_change.pk).update(description="Add a flyer AND a poster.")
    quoted_change.refresh_from_db()
    change_request_quote(change_request=quoted_change, now=timezone.now() + datetime.timedelta(minutes=5))

    response = rahul.post(reverse("portal:change_decide", args=[quoted_change.pk]), {**seen, "decision": "approve"})

    assert response.status_code == 409
    assert flat(str(QUOTE_CHANGED)) in flat(response.content.decode())
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED


def test_logging_in_to_the_portal_gives_a_new_csrf_token(approver, db):
    give_portal_access(approver)
    browser = Client()
    browser.get(reverse("portal:login"))
    before = browser.cookies["csrftoken"].value

    portal_log_in(browser, approver)

    assert browser.cookies["csrftoken"].value != before


def test_an_invitation_does_not_switch_on_a_login_staff_switched_off(alice_client, contact):
    PortalAccount.objects.create(email=contact.email.lower(), is_active=False)
    browser = Client()
    open_link(browser, invite(alice_client, contact))

    reason = invitation_error(set_password(browser))

    assert "switched off" in reason
    assert not PortalAccount.objects.get().is_active


def test_quoting_a_change_on_a_draft_emails_no_client(
    alice_client, draft_project, approver, contact, mailoutbox, django_capture_on_commit_callbacks
):
    give_portal_access(approver)
    change = ChangeRequestFactory(project=draft_project, requested_by=contact, price_delta=Decimal("8000"))

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("agreements:change_quote", args=[change.pk]))

    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.QUOTED
    assert mailoutbox == []


def test_a_decision_the_project_no_longer_allows_is_refused_with_a_message_not_a_crash(
    portal_as, quoted_change, approver
):
    """The new date in the quote is before the project's start, moved meanwhile: say so, keep the note."""
    rahul = portal_as(approver)
    page = decide_form(rahul.get(reverse("portal:change", args=[quoted_change.pk])))
    Project.objects.filter(pk=quoted_change.project_id).update(start_date=datetime.date(2026, 12, 21))

    response = rahul.post(
        reverse("portal:change_decide", args=[quoted_change.pk]),
        {**page, "decision": "approve", "note": "Go ahead."},
    )

    assert response.status_code == 409
    assert "Go ahead." in response.content.decode()
    quoted_change.refresh_from_db()
    assert quoted_change.status == ChangeRequest.Status.QUOTED


def test_a_project_s_other_client_cannot_be_named_in_the_help_form(portal_as, contact, project):
    other = ProjectFactory(owner=project.owner, client=ClientFactory(owner=project.owner))
    response = portal_as(contact).post(
        reverse("portal:help_create") + f"?project={other.pk}",
        {"what": "Hello?", "needed_by": timezone.localdate() + datetime.timedelta(days=2)},
    )

    assert response.status_code == 302
    assert HelpRequest.objects.get().client == contact.client


def ask(contact, project, n):
    return HelpRequest.objects.create(
        client=contact.client, contact=contact, project=project, what=f"Question {n}",
        needed_by=timezone.localdate() + datetime.timedelta(days=3), created_at=timezone.now(),
    )


def test_the_portal_question_list_runs_the_same_queries_for_1_and_10_questions(
    portal_as, contact, project, django_assert_num_queries
):
    priya = portal_as(contact)
    ask(contact, project, 1)
    # session, login, contacts; the questions with their contact and project: 4, at any length.
    with django_assert_num_queries(4):
        one = priya.get(reverse("portal:help_list")).content.decode()
    for n in range(2, 11):
        ask(contact, project if n % 2 else None, n)
    with django_assert_num_queries(4):
        ten = priya.get(reverse("portal:help_list")).content.decode()

    assert one.count("Question ") == 1 and ten.count("Question ") == 10
