"""Each reader gets Vachan's words in their own language, whatever language the process that
writes them runs in (a worker, or the request of someone who reads another language)."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext

from agreements.alerts.delivery import alert_deliver
from agreements.alerts.messages import alert_line, local_when
from agreements.alerts.proposal import date_proposal_send
from agreements.models import AlertKind, FreelancerProfile, Milestone, Notification
from clients.models import Contact
from tests.alerts.outbox import AlertFactory
from tests.alerts.test_calendar_feed import contact_feed
from tests.factories import NOW, MilestoneFactory
from tests.portal.conftest import give_portal_access

KOLKATA = ZoneInfo("Asia/Kolkata")


def test_alerts_and_reminders_are_in_each_readers_language_not_the_workers(
    freelancer, project, approver, mailoutbox
):
    FreelancerProfile.objects.create(user=freelancer, language="mr")
    give_portal_access(approver)
    Contact.objects.filter(pk=approver.pk).update(preferred_language="hi")
    mine = AlertFactory(milestone=MilestoneFactory(project=project, title="Box designs"))
    theirs = AlertFactory(milestone=MilestoneFactory(project=project, title="Photos", owed_by=Milestone.OwedBy.CLIENT),
                          kind=AlertKind.CLIENT_DUE)

    with translation.override("ne"):  # the worker's language
        alert_deliver(alert_id=mine.pk, now=NOW)
        alert_deliver(alert_id=theirs.pk, now=NOW)

    with translation.override("mr"):
        marathi = alert_line(mine, now=NOW)
    with translation.override("hi"):
        reminder = gettext("Reminder: “%(title)s” is due from you on %(due)s") % {
            "title": "Photos", "due": local_when(theirs.milestone.due_at, project.zoneinfo),
        }
    assert marathi != alert_line(mine, now=NOW)  # Marathi, not English
    by_address = {message.to[0].split("<")[-1].rstrip(">"): message for message in mailoutbox}
    assert by_address[freelancer.email].subject == marathi
    assert marathi in Notification.objects.filter(recipient=freelancer).values_list("text", flat=True)
    assert by_address[approver.email].subject == reminder
    assert not reminder.startswith("Reminder")


def test_a_contacts_calendar_is_named_and_written_in_their_language(project, approver):
    MilestoneFactory(project=project, owed_by=Milestone.OwedBy.CLIENT)
    Contact.objects.filter(pk=approver.pk).update(preferred_language="mr")
    approver.refresh_from_db()

    with translation.override("ne"):
        ics = contact_feed(approver).decode()

    with translation.override("mr"):
        name = gettext("Vachan deadlines: %(client)s") % {"client": project.client.name}
    assert name != f"Vachan deadlines: {project.client.name}"
    assert f"X-WR-CALNAME:{name}\r\n" in ics


def test_a_proposed_date_reaches_a_hindi_approver_with_hindi_words_and_dates(
    freelancer, project, approver, mailoutbox, django_capture_on_commit_callbacks
):
    Contact.objects.filter(pk=approver.pk).update(preferred_language="hi", portal_access=True)
    approver.refresh_from_db()
    artwork = MilestoneFactory(project=project, title="Final artwork",
                               due_at=datetime.datetime(2026, 11, 26, 18, 0, tzinfo=KOLKATA))
    new = datetime.datetime(2026, 12, 2, 18, 0, tzinfo=KOLKATA)

    with django_capture_on_commit_callbacks(execute=True):  # alice's request, in English
        date_proposal_send(milestone=artwork, new_due_at=new, contact=approver, message="Dear Rahul,",
                      sent_by=freelancer, now=NOW, base_url="http://testserver")

    (email,) = mailoutbox
    with translation.override("hi"):
        subject = gettext("%(ref)s: a new date for “%(title)s” (%(project)s), your decision please") % {
            "ref": "CR-1", "title": "Final artwork", "project": project.title,
        }
        new_date = local_when(new, KOLKATA)
    assert email.subject == subject != (
        f"CR-1: a new date for “Final artwork” ({project.title}), your decision please"
    )
    assert new_date in email.body and new_date != local_when(new, KOLKATA)  # "बुध 2 दिसंबर 2026, 18:00"
