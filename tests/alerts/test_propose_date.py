"""agreements/alerts/proposal.py and its page: a milestone at risk → a ready message → a quoted change request.

alice owes "Final artwork": 45 hours still to do, due Thursday 26 Nov 2026 18:00 in Kolkata, three
working days from NOW (Monday 23 Nov, 14:30 there; Tuesday 24 is Guru Nanak's Jayanti). At 40
hours a week (8 per working day) that is 17 hours of work before the deadline: it will finish
on Wednesday 2 Dec, about 6 days late.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.alerts.plan import owner_data
from agreements.alerts.proposal import (
    ALREADY_PASSED,
    ALREADY_PROPOSED,
    MILESTONE_DONE,
    NOT_AFTER_DEADLINE,
    PROJECT_NOT_ACTIVE,
    date_proposal_draft,
    date_proposal_send,
)
from agreements.changes import APPROVER_NOT_ALLOWED, APPROVER_OTHER_CLIENT, change_request_approve
from agreements.forms.proposal import CHOOSE_AN_APPROVER, MESSAGE_SAYS_OLD_DATE
from agreements.models import ChangeRequest, Milestone, Project
from clients.models import Contact
from tests.factories import NOW, ClientFactory, ContactFactory, MilestoneFactory, ProjectFactory
from tests.html import FormFields, field_block, flat, refused
from tests.portal.conftest import give_portal_access, portal_log_in

KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
NEW_YORK = ZoneInfo("America/New_York")

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def rahul(approver):
    """The approver, who can log in to the portal."""
    Contact.objects.filter(pk=approver.pk).update(portal_access=True)
    approver.refresh_from_db()
    return approver


@pytest.fixture
def artwork(project):
    return MilestoneFactory(
        project=project, title="Final artwork", estimated_hours=Decimal("45"),
        due_at=datetime.datetime(2026, 11, 26, 18, 0, tzinfo=KOLKATA),
    )


def url(milestone):
    return reverse("agreements:milestone_propose_date", args=[milestone.pk])


def text_of(response) -> str:
    return flat(re.sub(r"<[^>]+>", " ", response.content.decode()))


def the_form(browser, milestone) -> dict:
    """What the page posts when alice changes nothing."""
    response = browser.get(url(milestone))
    assert response.status_code == 200
    return FormFields(response.content.decode()).data


def send(browser, milestone, **changes):
    return browser.post(url(milestone), {**the_form(browser, milestone), **changes})


# The draft -------------------------------------------------------------------------------------------


def test_it_prefills_a_date_after_the_projected_finish_at_the_deadline_s_own_time(alice_client, artwork, rahul):
    finish = owner_data(artwork.project.owner).projections(NOW)[artwork.pk].finish_at
    assert finish.astimezone(KOLKATA).date() == datetime.date(2026, 12, 2)

    form = the_form(alice_client, artwork)

    assert form["new_due_at"] == "2026-12-02T18:00"
    assert datetime.datetime(2026, 12, 2, 18, 0, tzinfo=KOLKATA) > finish
    assert form["contact"] == str(rahul.pk)


def test_the_page_shows_the_deadline_and_how_late_it_will_be(alice_client, artwork, rahul):
    text = text_of(alice_client.get(url(artwork)))

    assert "Deadline Thu 26 Nov 2026, 18:00 (Asia/Kolkata)" in text
    assert "at risk At your pace it finishes on Wed 2 Dec 2026, 05:30, about 6 days late." in text


def test_the_ready_message_names_the_milestone_the_old_and_the_new_date(alice_client, artwork, rahul):
    message = the_form(alice_client, artwork)["message"]

    assert message == (
        "Dear Rahul,\n\n"
        "I want to tell you early, while there is still time to plan: “Final artwork” (Diwali packaging) is due "
        "on Thu 26 Nov 2026, 18:00. At the current pace it will take about 6 days longer. "
        "I propose moving it to Wed 2 Dec 2026, 18:00.\n\n"
        "Nothing else changes: price and scope stay as agreed. Please approve or decline in the portal.\n\n"
        "— Alice"
    )


def test_a_milestone_on_track_is_offered_the_next_day_and_the_page_says_so(alice_client, project, rahul):
    logo = MilestoneFactory(project=project, title="Logo", estimated_hours=Decimal("4"),
                            due_at=datetime.datetime(2026, 12, 10, 18, 0, tzinfo=KOLKATA))

    response = alice_client.get(url(logo))

    assert "on track At your pace it finishes on" in text_of(response)
    form = FormFields(response.content.decode()).data
    assert form["new_due_at"] == "2026-12-11T18:00"
    assert "At the current pace" not in form["message"]
    assert (
        "“Logo” (Diwali packaging) is due on Thu 10 Dec 2026, 18:00. I propose moving it to Fri 11 Dec 2026, 18:00."
        in form["message"]
    )


def test_the_draft_names_nobody_when_no_one_at_the_client_may_approve(artwork, contact):
    draft = date_proposal_draft(milestone=artwork, now=NOW)

    assert draft.contact is None
    assert draft.message.startswith("Hello,\n\n")


def test_the_draft_prefers_an_approver_who_can_log_in_to_the_portal(artwork, client_company, rahul):
    ContactFactory(client=client_company, name="Anil", may_approve=True)  # first by name, but no portal login

    assert date_proposal_draft(milestone=artwork, now=NOW).contact == rahul


def test_a_kathmandu_project_keeps_the_deadline_s_wall_clock_time(alice_client, freelancer, client_company, rahul):
    project = ProjectFactory(owner=freelancer, client=client_company, title="Himalayan tea", timezone="Asia/Kathmandu")
    milestone = MilestoneFactory(project=project, title="Label art", estimated_hours=Decimal("45"),
                                 due_at=datetime.datetime(2026, 11, 26, 18, 0, tzinfo=KATHMANDU))

    form = the_form(alice_client, milestone)
    assert form["new_due_at"] == "2026-12-02T18:00"
    assert "Thu 26 Nov 2026, 18:00" in form["message"]
    assert "I propose moving it to Wed 2 Dec 2026, 18:00." in form["message"]

    alice_client.post(url(milestone), form)

    (date_change,) = ChangeRequest.objects.get(project=project).date_changes.all()
    assert date_change.new_due_at == datetime.datetime(2026, 12, 2, 12, 15, tzinfo=datetime.UTC)
    assert date_change.new_due_at.astimezone(KATHMANDU).time() == datetime.time(18, 0)


def test_across_a_dst_change_the_date_keeps_its_local_time(freelancer, client_company):
    project = ProjectFactory(owner=freelancer, client=client_company, timezone="America/New_York")
    # Due Saturday 13 Mar 2027 18:00 EST (UTC-5); clocks go forward on Sunday 14 Mar.
    milestone = MilestoneFactory(project=project, estimated_hours=Decimal("0"),
                                 due_at=datetime.datetime(2027, 3, 13, 18, 0, tzinfo=NEW_YORK))

    milestone.refresh_from_db()  # as stored: in UTC
    new_due_at = date_proposal_draft(milestone=milestone, now=NOW).new_due_at

    assert new_due_at.astimezone(NEW_YORK).replace(tzinfo=None) == datetime.datetime(2027, 3, 14, 18, 0)
    assert new_due_at.utcoffset() == datetime.timedelta(hours=-4)


# Sending ---------------------------------------------------------------------------------------------


def test_sending_creates_one_quoted_change_request_with_the_new_date(alice_client, artwork, rahul):
    response = send(alice_client, artwork)

    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change.get_absolute_url()
    assert change.status == ChangeRequest.Status.QUOTED
    assert change.quoted_at == NOW
    assert change.requested_by == rahul
    assert change.on_behalf_of == ""
    assert change.purpose == "New date proposed by Alice because the milestone is at risk."
    assert change.needed_by == datetime.date(2026, 11, 26)
    assert change.price_delta == 0
    assert [(d.milestone, d.new_due_at) for d in change.date_changes.all()] == [
        (artwork, datetime.datetime(2026, 12, 2, 18, 0, tzinfo=KOLKATA))
    ]
    artwork.refresh_from_db()
    assert artwork.due_at == datetime.datetime(2026, 11, 26, 18, 0, tzinfo=KOLKATA)  # until the client approves


def test_the_change_request_page_says_it_was_sent(alice_client, artwork, rahul):
    response = send(alice_client, artwork)
    page = alice_client.get(response["Location"])

    text = text_of(page)
    assert "CR-1 sent to Rahul for approval." in text
    assert "Final artwork: 2026-11-26 18:00 → 2026-12-02 18:00" in text


def test_the_approvers_who_can_log_in_get_one_email_with_the_portal_link_and_need_help(
    alice_client, artwork, rahul, contact, mailoutbox, django_capture_on_commit_callbacks
):
    Contact.objects.filter(pk=contact.pk).update(portal_access=True)  # priya logs in, but may not approve
    with django_capture_on_commit_callbacks(execute=True):
        send(alice_client, artwork)

    change = ChangeRequest.objects.get()
    (email,) = mailoutbox
    assert email.to == [f"Rahul <{rahul.email}>"]
    assert email.subject == "CR-1: a new date for “Final artwork” (Diwali packaging), your decision please"
    body = flat(email.body)
    assert "http://testserver" + reverse("portal:change", args=[change.pk]) in body
    assert "Need help?" in body
    assert "I propose moving it to Wed 2 Dec 2026, 18:00." in body
    assert (
        "Hello Rahul, Alice proposes a new date for “Final artwork” (Diwali packaging): Wed 2 Dec 2026, 18:00 "
        "instead of Thu 26 Nov 2026, 18:00 (Asia/Kolkata). Alice writes: Dear Rahul, I want to tell you early"
    ) in body
    html = email.alternatives[0][0]
    assert "<p>— Alice</p>" in html  # each paragraph of the message its own
    assert "http://testserver" + reverse("portal:change", args=[change.pk]) in html
    assert "Need help?" in html


def test_nothing_is_emailed_before_the_commit(alice_client, artwork, rahul, mailoutbox,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(alice_client, artwork)

    assert mailoutbox == []
    assert len(callbacks) == 1

    callbacks[0]()  # the commit
    assert len(mailoutbox) == 1


def test_the_edited_message_is_what_the_change_request_says(
    alice_client, artwork, rahul, mailoutbox, django_capture_on_commit_callbacks
):
    edited = "Dear Rahul,\n\nThe printer needs two more days; can we say Wed 2 Dec 2026, 18:00?\n\n— Alice"
    with django_capture_on_commit_callbacks(execute=True):
        send(alice_client, artwork, message=edited)

    assert ChangeRequest.objects.get().description == edited
    assert "The printer needs two more days" in mailoutbox[0].body


def test_approving_it_moves_the_milestone_s_deadline(alice_client, artwork, rahul, freelancer):
    send(alice_client, artwork, new_due_at="2026-12-03T12:00", message="Dear Rahul, may it be Thu 3 Dec, noon?")
    change = ChangeRequest.objects.get()

    change_request_approve(change_request=change, approved_by=rahul, recorded_by=None, now=NOW)

    artwork.refresh_from_db()
    assert artwork.due_at == datetime.datetime(2026, 12, 3, 12, 0, tzinfo=KOLKATA)


def test_an_approver_without_a_portal_login_is_told_to_be_invited(alice_client, artwork, approver):
    response = send(alice_client, artwork)

    text = text_of(alice_client.get(response["Location"]))
    assert "CR-1 is waiting for approval, but Rahul cannot log in to the portal yet" in text
    assert "Rahul (no portal login yet)" in text_of(alice_client.get(url(artwork)))


# Refusals --------------------------------------------------------------------------------------------


def test_it_refuses_a_date_not_after_the_current_deadline_and_keeps_what_was_typed(alice_client, artwork, rahul):
    response = send(alice_client, artwork, new_due_at="2026-11-26T18:00", message="Please move it.")

    html = refused(response, "new_due_at")
    assert str(NOT_AFTER_DEADLINE % {"due": "Thu 26 Nov 2026, 18:00"}) in flat(field_block(html, "new_due_at"))
    assert FormFields(html).data["message"] == "Please move it."
    assert ChangeRequest.objects.count() == 0


def test_it_refuses_a_contact_who_may_not_approve(alice_client, artwork, rahul, contact):
    response = send(alice_client, artwork, contact=contact.pk)

    html = refused(response, "contact")
    assert str(CHOOSE_AN_APPROVER) in field_block(html, "contact")
    assert f'value="{contact.pk}"' not in field_block(html, "contact")  # priya is not offered either
    assert ChangeRequest.objects.count() == 0


def test_it_refuses_another_freelancer_s_approver(alice_client, artwork, rahul, other_freelancer):
    theirs = ContactFactory(client=ClientFactory(owner=other_freelancer), may_approve=True)

    response = send(alice_client, artwork, contact=theirs.pk)

    assert str(CHOOSE_AN_APPROVER) in field_block(refused(response, "contact"), "contact")
    assert ChangeRequest.objects.count() == 0


def test_it_asks_to_update_the_message_when_only_the_date_was_changed(alice_client, artwork, rahul):
    response = send(alice_client, artwork, new_due_at="2026-12-04T18:00")

    html = refused(response, "message")
    assert str(MESSAGE_SAYS_OLD_DATE % {"old": "Wed 2 Dec 2026, 18:00", "new": "Fri 4 Dec 2026, 18:00"}) in (
        flat(field_block(html, "message"))
    )
    assert FormFields(html).data["new_due_at"] == "2026-12-04T18:00"
    assert ChangeRequest.objects.count() == 0


def test_it_refuses_a_time_that_does_not_exist_in_the_project_s_zone(alice_client, freelancer, client_company, rahul):
    project = ProjectFactory(owner=freelancer, client=client_company, timezone="America/New_York")
    milestone = MilestoneFactory(project=project, due_at=datetime.datetime(2027, 3, 12, 18, 0, tzinfo=NEW_YORK))

    response = send(alice_client, milestone, new_due_at="2027-03-14T02:30", message="Please move it.")

    html = refused(response, "new_due_at")
    assert "couldn’t be interpreted in time zone America/New_York" in field_block(html, "new_due_at")
    assert ChangeRequest.objects.count() == 0


def test_bob_gets_a_404_for_alice_s_milestone_and_changes_nothing(bob_client, artwork, rahul):
    assert bob_client.get(url(artwork)).status_code == 404
    response = bob_client.post(url(artwork), {
        "new_due_at": "2026-12-04T18:00", "contact": rahul.pk, "message": "Moving it.",
    })

    assert response.status_code == 404
    assert ChangeRequest.objects.count() == 0


def test_a_completed_milestone_shows_why_and_no_form(alice_client, artwork, rahul):
    Milestone.objects.filter(pk=artwork.pk).update(completed_at=NOW)

    response = alice_client.post(url(artwork), {
        "new_due_at": "2026-12-04T18:00", "contact": rahul.pk, "message": "Moving it.",
    })

    assert response.status_code == 200
    assert str(MILESTONE_DONE % {"title": "Final artwork"}) in text_of(response)
    assert 'name="message"' not in response.content.decode()
    assert ChangeRequest.objects.count() == 0


def test_a_project_on_hold_shows_why(alice_client, artwork, rahul):
    Project.objects.filter(pk=artwork.project_id).update(status=Project.Status.ON_HOLD)

    text = text_of(alice_client.get(url(artwork)))

    assert str(PROJECT_NOT_ACTIVE % {"status": "On hold"}) in text


def test_a_second_proposal_links_to_the_one_still_waiting(alice_client, artwork, rahul):
    send(alice_client, artwork)
    first = ChangeRequest.objects.get()

    response = send(alice_client, artwork, new_due_at="2026-12-04T18:00",
                    message="Dear Rahul, can we make it Fri 4 Dec 2026, 18:00?")

    assert response.status_code == 200
    assert ChangeRequest.objects.count() == 1
    pending = flat(re.search(r'id="pending".*?</div>', response.content.decode(), re.S).group(0))
    assert str(ALREADY_PROPOSED % {"ref": "CR-1", "title": "Final artwork"}) in pending
    assert f'href="{first.get_absolute_url()}"' in pending
    assert FormFields(response.content.decode()).data["message"] == "Dear Rahul, can we make it Fri 4 Dec 2026, 18:00?"


# The domain's own refusals (the form offers only approvers of this client) --------------------------


def proposal(milestone, contact, **overrides):
    return {
        "milestone": milestone, "contact": contact, "message": "Moving it, sorry.", "now": NOW,
        "new_due_at": datetime.datetime(2026, 12, 4, 18, 0, tzinfo=KOLKATA), "sent_by": milestone.project.owner,
        **overrides,
    }


def test_send_refuses_a_contact_who_may_not_approve(artwork, contact):
    with pytest.raises(ValidationError) as refusal:
        date_proposal_send(**proposal(artwork, contact))

    assert refusal.value.message_dict["contact"] == [str(APPROVER_NOT_ALLOWED % {"contact": "Priya"})]
    assert ChangeRequest.objects.count() == 0


def test_send_refuses_a_contact_of_another_client(artwork, freelancer):
    elsewhere = ContactFactory(client=ClientFactory(owner=freelancer), may_approve=True)

    with pytest.raises(ValidationError) as refusal:
        date_proposal_send(**proposal(artwork, elsewhere))

    assert refusal.value.message_dict["contact"] == [str(APPROVER_OTHER_CLIENT)]


def test_send_refuses_a_completed_milestone_and_a_date_already_passed(artwork, rahul):
    Milestone.objects.filter(pk=artwork.pk).update(completed_at=NOW)
    with pytest.raises(ValidationError) as done:
        date_proposal_send(**proposal(artwork, rahul))
    assert done.value.code == "done"

    Milestone.objects.filter(pk=artwork.pk).update(
        completed_at=None, due_at=datetime.datetime(2026, 11, 20, 18, 0, tzinfo=KOLKATA)
    )
    yesterday = datetime.datetime(2026, 11, 22, 18, 0, tzinfo=KOLKATA)
    with pytest.raises(ValidationError) as past:
        date_proposal_send(**proposal(artwork, rahul, new_due_at=yesterday))
    assert past.value.message_dict["new_due_at"] == [str(ALREADY_PASSED)]
    assert ChangeRequest.objects.count() == 0


def test_an_overdue_milestone_is_asked_for_a_date_still_to_come(artwork, rahul):
    Milestone.objects.filter(pk=artwork.pk).update(due_at=datetime.datetime(2026, 11, 20, 18, 0, tzinfo=KOLKATA))
    artwork.refresh_from_db()

    draft = date_proposal_draft(milestone=artwork, now=NOW)
    change = date_proposal_send(**proposal(artwork, rahul, new_due_at=draft.new_due_at, message=draft.message))

    assert draft.new_due_at > NOW
    assert "“Final artwork” (Diwali packaging) was due on Fri 20 Nov 2026, 18:00." in draft.message
    assert change.needed_by == timezone.localdate(NOW, KOLKATA)  # its deadline has passed: today


# The project page ------------------------------------------------------------------------------------


def test_the_project_page_links_each_open_milestone_alice_owes_to_its_proposal(alice_client, project, artwork):
    done = MilestoneFactory(project=project, title="Moodboard", completed_at=NOW)
    theirs = MilestoneFactory(project=project, title="Brand assets", owed_by=Milestone.OwedBy.CLIENT)

    html = alice_client.get(project.get_absolute_url()).content.decode()

    assert f'href="{url(artwork)}"' in html
    assert f'href="{url(done)}"' not in html
    assert f'href="{url(theirs)}"' not in html


def test_both_sides_see_that_alice_proposed_it_to_rahul(alice_client, artwork, rahul):
    change_url = send(alice_client, artwork)["Location"]
    change = ChangeRequest.objects.get()
    assert change.proposed_by_freelancer

    assert "Proposed by you, to Rahul" in text_of(alice_client.get(change_url))
    assert "you, to Rahul" in text_of(alice_client.get(artwork.project.get_absolute_url()))
    give_portal_access(rahul)
    portal = portal_log_in(Client(), rahul)
    portal_page = text_of(portal.get(reverse("portal:change", args=[change.pk])))
    assert "Proposed by Alice to Rahul" in portal_page
    assert "Asked by Rahul" not in portal_page
