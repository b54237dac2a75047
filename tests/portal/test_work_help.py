"""Need help? A contact asks in writing from any portal page; alice sees how long it has waited,
answers, and both sides see how long the first answer took. alice's inbox and dashboard."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Notification
from clients.models import HelpRequest
from tests.factories import NOW, ContactFactory, ProjectFactory, StoredContractVersionFactory
from tests.html import flat

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def clock():
    """The clock stopped at NOW; clock.move_to(moment) moves it (and stops it there)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def text_of(response) -> str:
    return flat(re.sub(r"<[^>]+>", " ", response.content.decode()))


def ask(browser, project=None, what="Which file format do you need the logo in?", needed_by="2026-11-25"):
    query = f"?project={project.pk}" if project else ""
    return browser.post(reverse("portal:help_create") + query, {"what": what, "needed_by": needed_by})


def help_rows(response) -> list[str]:
    table = re.search(r'id="help-requests".*?<tbody>(.*?)</tbody>', response.content.decode(), re.S)
    if table is None:
        return []
    return [flat(re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)]


def first_answer(response) -> str:
    match = re.search(r'id="first-answer">(.*?)</p>', response.content.decode(), re.S)
    assert match, "no first-answer line"
    return flat(match.group(1))


# --- asking --------------------------------------------------------------------------------------------


def test_a_contact_asks_about_a_project_and_is_told_when_to_expect_an_answer(portal_as, project, contact, clock):
    priya = portal_as(contact)
    form = priya.get(reverse("portal:help_create") + f"?project={project.pk}")
    assert "Ask about “Diwali packaging”, or anything else." in text_of(form)

    response = ask(priya, project)

    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:help_detail", args=[help_request.pk])
    page = text_of(priya.get(response["Location"]))
    # alice answers within 24 hours: by 09:00 UTC tomorrow, 14:30 in Kolkata.
    assert "Your question is sent to Alice. Expect an answer by 2026-11-24 14:30." in page
    assert "Alice handles your question. Expect an answer by 2026-11-24 14:30." in page
    assert "Not answered yet." in page
    assert help_request.contact == contact
    assert help_request.client == contact.client
    assert help_request.project == project
    assert help_request.what == "Which file format do you need the logo in?"
    assert help_request.needed_by == datetime.date(2026, 11, 25)
    assert help_request.created_at == NOW
    assert help_request.status == HelpRequest.Status.OPEN
    assert help_request.first_answered_at is None


def test_alice_is_notified_of_the_question(
    portal_as, project, contact, freelancer, clock, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(portal_as(contact), project)

    help_request = HelpRequest.objects.get()
    notification = Notification.objects.get()
    assert notification.recipient == freelancer
    assert notification.kind == Notification.Kind.HELP_REQUESTED
    assert notification.url == reverse("clients:help_detail", args=[help_request.pk])
    assert notification.text == (
        "Priya (Sahyadri Foods) needs help by 2026-11-25: Which file format do you need the logo in?"
    )
    (email,) = mailoutbox
    assert email.to == ["alice@example.com"]


def test_a_project_of_another_client_in_the_address_is_ignored(portal_as, contact, other_freelancer, clock):
    others = ProjectFactory(owner=other_freelancer, title="Bob's website")

    form = portal_as(contact).get(reverse("portal:help_create") + f"?project={others.pk}")
    ask(portal_as(contact), others)

    assert "Bob" not in text_of(form)
    assert HelpRequest.objects.get().project is None


def test_a_help_request_needs_a_date_that_has_not_passed(portal_as, project, contact, clock):
    response = ask(portal_as(contact), project, needed_by="2026-11-22")

    assert response.status_code == 200
    assert "needed_by" in response.context["form"].errors
    assert not HelpRequest.objects.exists()
    assert not Notification.objects.exists()


# --- answering -----------------------------------------------------------------------------------------


@pytest.fixture
def asked(portal_as, project, contact, clock):
    ask(portal_as(contact), project)
    return HelpRequest.objects.get()


def test_alice_sees_the_question_and_how_long_it_has_waited(alice_client, asked, clock):
    clock.move_to(NOW + 3 * HOUR)

    response = alice_client.get(reverse("clients:help_list"))

    assert response.status_code == 200
    (row,) = help_rows(response)
    assert row == (
        "Which file format do you need the logo in? Diwali packaging Priya Sahyadri Foods 3 hours 2026-11-25 —"
    )


def answer(alice_client, help_request, text):
    return alice_client.post(reverse("clients:help_detail", args=[help_request.pk]), {"text": text})


def test_the_first_answer_is_timed_once_and_shown_on_both_sides(alice_client, portal_as, asked, contact, clock):
    clock.move_to(NOW + 3 * HOUR)
    response = answer(alice_client, asked, "SVG and PNG, please.")
    assert response.status_code == 302
    clock.move_to(NOW + 5 * HOUR)
    answer(alice_client, asked, "And a PDF for the printer.")

    asked.refresh_from_db()
    assert asked.first_answered_at == NOW + 3 * HOUR
    assert asked.status == HelpRequest.Status.ANSWERED
    assert list(asked.replies.values_list("text", "from_freelancer")) == [
        ("SVG and PNG, please.", True), ("And a PDF for the printer.", True),
    ]
    alice_page = alice_client.get(reverse("clients:help_detail", args=[asked.pk]))
    portal_page = portal_as(contact).get(reverse("portal:help_detail", args=[asked.pk]))
    assert first_answer(alice_page) == "First answered after 3 hours."
    assert first_answer(portal_page) == "First answered after 3 hours."
    assert "SVG and PNG, please." in text_of(portal_page)
    assert "Expect an answer by" not in text_of(portal_page)
    answered = alice_client.get(reverse("clients:help_list") + "?status=answered")
    assert help_rows(answered)[0].endswith("3 hours")
    assert help_rows(alice_client.get(reverse("clients:help_list"))) == []  # no longer waiting


def test_a_reply_from_the_contact_opens_the_question_again(
    alice_client, portal_as, asked, contact, freelancer, clock
):
    clock.move_to(NOW + 3 * HOUR)
    answer(alice_client, asked, "SVG and PNG, please.")
    clock.move_to(NOW + 6 * HOUR)
    priya = portal_as(contact)

    response = priya.post(reverse("portal:help_detail", args=[asked.pk]), {"text": "Which colour profile?"})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == HelpRequest.Status.OPEN
    assert asked.first_answered_at == NOW + 3 * HOUR
    reply = asked.replies.get(from_freelancer=False)
    assert (reply.author, reply.text, reply.created_at) == ("Priya", "Which colour profile?", NOW + 6 * HOUR)
    assert Notification.objects.filter(recipient=freelancer).latest("created_at").text == (
        "Priya (Sahyadri Foods) replied about: Which file format do you need the logo in?"
    )
    (row,) = help_rows(alice_client.get(reverse("clients:help_list")))
    assert row.startswith("Which file format")
    assert "Waiting for an answer" in text_of(priya.get(reverse("portal:help_detail", args=[asked.pk])))


def test_the_help_list_runs_the_same_number_of_queries_for_1_and_5_requests(
    alice_client, project, client_company, django_assert_num_queries
):
    def asked_by(n):
        contact = ContactFactory(client=client_company, name=f"Contact {n}")
        HelpRequest.objects.create(
            client=client_company, contact=contact, project=project, what=f"Question {n}",
            needed_by=datetime.date(2026, 12, 1), created_at=NOW,
        )

    asked_by(1)
    url = reverse("clients:help_list")
    alice_client.get(url)  # a first visit may set things up once
    with CaptureQueriesContext(connection) as one:
        assert len(help_rows(alice_client.get(url))) == 1

    for n in range(2, 6):
        asked_by(n)
    with django_assert_num_queries(len(one)):
        response = alice_client.get(url)

    assert len(help_rows(response)) == 5


# --- Need help? on every portal page -------------------------------------------------------------------


def need_help(response) -> str:
    match = re.search(r'id="need-help">(.*?)</div>', response.content.decode(), re.S)
    assert match, "no Need help? line"
    return match.group(1)


def test_every_portal_page_offers_help(portal_as, quoted_change, approver, asked):
    project = quoted_change.project
    version = StoredContractVersionFactory(project=project)
    rahul = portal_as(approver)
    about_project = f'href="{reverse("portal:help_create")}?project={project.pk}"'
    anywhere = f'href="{reverse("portal:help_create")}"'
    pages = {
        "home": (reverse("portal:home"), anywhere),
        "project": (reverse("portal:project", args=[project.pk]), about_project),
        "change": (reverse("portal:change", args=[quoted_change.pk]), about_project),
        "contract": (reverse("portal:contract", args=[version.pk]), about_project),
        "help list": (reverse("portal:help_list"), anywhere),
        "question": (reverse("portal:help_detail", args=[asked.pk]), anywhere),
    }

    for name, (url, link) in pages.items():
        response = rahul.get(url)
        assert response.status_code == 200, name
        line = need_help(response)
        assert "Need help?" in line, name
        assert link in line, name
        assert "Ask a question in writing" in line, name


# --- alice's inbox and dashboard -----------------------------------------------------------------------


@pytest.fixture
def inbox(portal_as, project, contact, freelancer, other_freelancer, clock):
    """priya asks for help at NOW and for a change an hour later; bob has a notification of his own."""
    priya = portal_as(contact)
    ask(priya, project)
    clock.move_to(NOW + HOUR)
    priya.post(reverse("portal:change_create", args=[project.pk]), {
        "description": "Add a trade-fair flyer.", "purpose": "Mumbai fair", "on_behalf_of": "",
        "needed_by": "2026-12-10",
    })
    Notification.objects.create(
        recipient=other_freelancer, kind=Notification.Kind.HELP_REQUESTED, text="Bob's own", url="/", created_at=NOW
    )
    clock.move_to(NOW + 2 * HOUR)
    return Notification.objects.filter(recipient=freelancer)


def inbox_items(response) -> list[str]:
    listing = re.search(r'id="notifications">(.*?)</ul>', response.content.decode(), re.S)
    assert listing, "no notifications listed"
    return [flat(re.sub(r"<[^>]+>", " ", li)) for li in re.findall(r"<li[^>]*>(.*?)</li>", listing.group(1), re.S)]


def test_the_inbox_lists_the_newest_first(alice_client, inbox):
    items = inbox_items(alice_client.get(reverse("agreements:notifications")))

    assert len(items) == 2
    assert items[0].startswith("new Priya (Sahyadri Foods) asked for CR-1 on “Diwali packaging”")
    assert items[0].endswith("· Change requested")
    assert items[1].startswith("new Priya (Sahyadri Foods) needs help by 2026-11-25")
    assert items[1].endswith("· Help requested")


def test_mark_all_as_read_clears_the_unread_state(alice_client, inbox, other_freelancer):
    page = alice_client.get(reverse("agreements:notifications")).content.decode()
    assert "Mark all as read" in page

    response = alice_client.post(reverse("agreements:notifications_read"), follow=True)

    assert response.redirect_chain == [(reverse("agreements:notifications"), 302)]
    assert set(inbox.values_list("read_at", flat=True)) == {NOW + 2 * HOUR}
    assert Notification.objects.get(recipient=other_freelancer).read_at is None
    html = response.content.decode()
    assert "Mark all as read" not in html
    assert [item.startswith("new ") for item in inbox_items(response)] == [False, False]


def test_the_dashboard_shows_what_came_from_clients(alice_client, inbox):
    response = alice_client.get(reverse("agreements:dashboard"))

    section = re.search(r'id="clients-h">(.*?)</section>', response.content.decode(), re.S)
    assert section, "no From your clients section"
    text = flat(re.sub(r"<[^>]+>", " ", section.group(1)))
    assert text.startswith("From your clients")
    assert "1 help request is waiting for your answer." in text
    assert "Priya (Sahyadri Foods) asked for CR-1" in text
    assert "Priya (Sahyadri Foods) needs help by 2026-11-25" in text
    assert "Bob's own" not in text


def test_the_dashboard_says_nothing_from_clients_when_there_is_nothing(alice_client, project):
    assert "From your clients" not in alice_client.get(reverse("agreements:dashboard")).content.decode()


def test_my_questions_shows_when_they_were_asked_in_the_contacts_zone(portal_as, asked, contact):
    text = text_of(portal_as(contact).get(reverse("portal:help_list")))

    assert "Which file format do you need the logo in? 2026-11-23 14:30" in text


def test_the_contact_is_emailed_the_answer_with_need_help(
    alice_client, portal_as, contact, project, mailoutbox, django_capture_on_commit_callbacks
):
    portal_as(contact)
    question = HelpRequest.objects.create(
        client=project.client, contact=contact, project=project, what="Where is the invoice?",
        needed_by=datetime.date(2026, 12, 24), created_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("clients:help_detail", args=[question.pk]), {"text": "Sent it this morning."})

    (email,) = mailoutbox
    assert email.to == [f"{contact.name} <{contact.email}>"]
    assert "Sent it this morning." in email.body
    assert "Need help?" in email.body and "Need help?" in email.alternatives[0].content
    assert reverse("portal:help_detail", args=[question.pk]) in email.body
