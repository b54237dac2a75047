"""alert_deliver (agreements/alerts/delivery.py) against a real SMTP server on loopback (aiosmtpd).

The row is claimed by a conditional UPDATE and marked sent only once the server accepted the
email. A server that is down or says "try later" (4xx) leaves it pending and it goes out later,
once; a permanent refusal (5xx) marks it failed, with the server's answer, never retried.
"""

import datetime
import smtplib

import pytest
import time_machine
from aiosmtpd.smtp import AuthResult
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from agreements.alerts.delivery import (
    CLAIM_TIMEOUT,
    NO_CONTACT,
    alert_deliver,
    claims_release,
    deliverable_ids,
    is_permanent,
    pause_after,
)
from agreements.models import Alert, AlertKind, Milestone, Notification, Project
from agreements.tasks import deliver_alert
from tests.alerts.outbox import AlertFactory, text_and_html
from tests.factories import NOW, ContactFactory, MilestoneFactory
from tests.portal.conftest import give_portal_access

ALICE = "alice@example.com"
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def alert(project):
    milestone = MilestoneFactory(project=project, title="Final artwork")
    return AlertFactory(milestone=milestone)


def deadline_notifications(user):
    return Notification.objects.filter(recipient=user, kind=Notification.Kind.DEADLINE_ALERT)


def test_it_sends_the_alert_to_the_freelancer_and_marks_it_sent(alert, smtp_mailer, smtp_server):
    result = alert_deliver(alert_id=alert.pk, now=NOW)

    alert.refresh_from_db()
    assert result == Alert.Status.SENT
    assert (alert.status, alert.attempts, alert.sent_at, alert.last_error) == (Alert.Status.SENT, 1, NOW, "")
    assert alert.claimed_at is None
    (message,) = smtp_server.messages
    assert message["To"] == ALICE
    # The time left when it is sent (NOW, 23 Nov), not the lead that raised it.
    assert message["Subject"] == "“Final artwork” (Diwali packaging) is due in 22 days: Tue 15 Dec 2026, 18:00."
    text, html = text_and_html(message)
    path = reverse("agreements:project_detail", args=[alert.milestone.project_id])
    assert f"http://127.0.0.1:8000{path}" in text
    assert f'href="http://127.0.0.1:8000{path}"' in html
    (notification,) = deadline_notifications(alert.owner)
    assert notification.text == message["Subject"]
    assert notification.url == path


def test_it_claims_only_a_pending_alert_whose_attempt_is_due(alert, smtp_mailer, smtp_server):
    Alert.objects.filter(pk=alert.pk).update(next_attempt_at=NOW + MINUTE)

    assert alert_deliver(alert_id=alert.pk, now=NOW) == "taken"

    alert.refresh_from_db()
    assert (alert.status, alert.attempts) == (Alert.Status.PENDING, 0)
    assert smtp_server.messages == []
    assert not deadline_notifications(alert.owner).exists()


def test_with_the_mail_server_down_the_alert_stays_pending_and_goes_out_once_it_is_back(alert, smtp_mailer):
    first = alert_deliver(alert_id=alert.pk, now=NOW)

    alert.refresh_from_db()
    assert first == Alert.Status.PENDING
    assert (alert.status, alert.attempts, alert.sent_at) == (Alert.Status.PENDING, 1, None)
    assert alert.last_error.startswith("ConnectionRefusedError")
    assert alert.next_attempt_at == NOW + MINUTE
    assert deliverable_ids(now=NOW) == []
    assert alert_deliver(alert_id=alert.pk, now=NOW) == "taken"  # not before its next attempt

    # Still down a minute later: the pause grows (1, 2, 4 … minutes, at most 30).
    assert alert_deliver(alert_id=alert.pk, now=NOW + MINUTE) == Alert.Status.PENDING
    alert.refresh_from_db()
    assert (alert.attempts, alert.next_attempt_at) == (2, NOW + 3 * MINUTE)

    server = smtp_mailer.start()
    with time_machine.travel(NOW + 3 * MINUTE, tick=False):
        result = deliver_alert.enqueue(alert.pk)  # the task reads the clock itself
    with time_machine.travel(NOW + 10 * MINUTE, tick=False):
        again = deliver_alert.enqueue(alert.pk)

    alert.refresh_from_db()
    assert result.return_value == Alert.Status.SENT
    assert again.return_value == "taken"
    assert (alert.status, alert.attempts, alert.sent_at, alert.last_error) == (
        Alert.Status.SENT, 3, NOW + 3 * MINUTE, ""
    )
    (message,) = server.messages
    assert message["To"] == ALICE
    assert message["Subject"].startswith("“Final artwork” (Diwali packaging) is due in 22 days")
    assert deadline_notifications(alert.owner).count() == 1  # shown in the app once, at the first attempt


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_permanent_refusal_fails_the_alert_with_the_servers_answer_and_is_never_retried(
    alert, smtp_mailer, smtp_server, stage, alice_client
):
    if stage == "RCPT":
        smtp_server.handler.rcpt_answers[ALICE] = ["550 5.1.1 No such user"]
    else:
        smtp_server.handler.data_answers.append("550 5.1.1 No such user")

    result = alert_deliver(alert_id=alert.pk, now=NOW)

    alert.refresh_from_db()
    assert result == Alert.Status.FAILED
    assert (alert.status, alert.attempts, alert.sent_at) == (Alert.Status.FAILED, 1, None)
    assert "550" in alert.last_error and "No such user" in alert.last_error
    assert deadline_notifications(alert.owner).count() == 1
    # Later runs leave it alone: not deliverable, not claimable, not released as a stale claim.
    later = NOW + datetime.timedelta(days=1)
    assert claims_release(now=later) == 0
    assert deliverable_ids(now=later) == []
    assert alert_deliver(alert_id=alert.pk, now=later) == "taken"
    assert smtp_server.handler.rcpt_seen == [ALICE]
    assert smtp_server.messages == []
    # The freelancer sees it on the dashboard, with the server's answer.
    page = alice_client.get("/").content.decode()
    assert "could not be delivered" in page
    assert "No such user" in page


def test_a_try_later_answer_keeps_the_alert_pending_and_it_is_retried(alert, smtp_mailer, smtp_server):
    smtp_server.handler.rcpt_answers[ALICE] = ["451 4.3.0 Try again later"]

    first = alert_deliver(alert_id=alert.pk, now=NOW)
    alert.refresh_from_db()
    assert first == Alert.Status.PENDING
    assert alert.status == Alert.Status.PENDING
    assert "451" in alert.last_error and "Try again later" in alert.last_error
    assert alert.next_attempt_at == NOW + MINUTE

    second = alert_deliver(alert_id=alert.pk, now=NOW + MINUTE)

    alert.refresh_from_db()
    assert second == Alert.Status.SENT
    assert (alert.status, alert.attempts, alert.last_error) == (Alert.Status.SENT, 2, "")
    assert smtp_server.handler.rcpt_seen == [ALICE, ALICE]
    assert len(smtp_server.messages) == 1


def test_a_second_deliverer_of_the_same_alert_sends_nothing(alert, smtp_mailer, smtp_server):
    assert alert_deliver(alert_id=alert.pk, now=NOW) == Alert.Status.SENT
    assert alert_deliver(alert_id=alert.pk, now=NOW) == "taken"

    assert len(smtp_server.messages) == 1
    assert deadline_notifications(alert.owner).count() == 1


def test_an_alert_another_worker_is_sending_is_not_taken_and_its_claim_is_kept_while_fresh(
    alert, smtp_mailer, smtp_server
):
    Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING, claimed_at=NOW, attempts=1)
    just_in_time = NOW + CLAIM_TIMEOUT

    assert alert_deliver(alert_id=alert.pk, now=NOW) == "taken"
    assert claims_release(now=just_in_time) == 0
    assert deliverable_ids(now=just_in_time) == []
    assert smtp_server.messages == []


def test_a_claim_left_by_a_worker_that_died_is_released_and_the_alert_sent_once(alert, smtp_mailer, smtp_server):
    Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING, claimed_at=NOW, attempts=1)
    later = NOW + CLAIM_TIMEOUT + datetime.timedelta(seconds=1)

    assert claims_release(now=later) == 1
    assert deliverable_ids(now=later) == [alert.pk]
    assert alert_deliver(alert_id=alert.pk, now=later) == Alert.Status.SENT
    assert alert_deliver(alert_id=alert.pk, now=later) == "taken"

    alert.refresh_from_db()
    assert (alert.status, alert.attempts, alert.claimed_at) == (Alert.Status.SENT, 2, None)
    assert len(smtp_server.messages) == 1


def test_an_alert_for_a_milestone_done_meanwhile_is_skipped(alert, smtp_mailer, smtp_server):
    Milestone.objects.filter(pk=alert.milestone_id).update(completed_at=NOW - MINUTE)

    assert alert_deliver(alert_id=alert.pk, now=NOW) == Alert.Status.SKIPPED

    alert.refresh_from_db()
    assert alert.status == Alert.Status.SKIPPED
    assert smtp_server.messages == []
    assert not deadline_notifications(alert.owner).exists()


def test_an_overdue_alert_for_a_milestone_done_meanwhile_is_skipped(project, smtp_mailer, smtp_server):
    milestone = MilestoneFactory(project=project, due_at=NOW - datetime.timedelta(hours=3))
    alert = AlertFactory(milestone=milestone, kind=AlertKind.OVERDUE, threshold=milestone.due_at, detail={})
    Milestone.objects.filter(pk=milestone.pk).update(completed_at=NOW - MINUTE)

    result = alert_deliver(alert_id=alert.pk, now=NOW)

    assert smtp_server.messages == []
    assert result == Alert.Status.SKIPPED


def test_an_alert_for_a_project_put_on_hold_is_skipped(alert, smtp_mailer, smtp_server):
    Project.objects.filter(pk=alert.milestone.project_id).update(status=Project.Status.ON_HOLD)

    assert alert_deliver(alert_id=alert.pk, now=NOW) == Alert.Status.SKIPPED
    assert smtp_server.messages == []


# Reminders of what the client owes ------------------------------------------------------------


@pytest.fixture
def client_alert(project):
    milestone = MilestoneFactory(project=project, title="Product photos", owed_by=Milestone.OwedBy.CLIENT)
    return AlertFactory(milestone=milestone, kind=AlertKind.CLIENT_DUE)


def test_a_client_reminder_goes_to_the_contacts_with_portal_access(
    client_alert, client_company, smtp_mailer, smtp_server
):
    rahul = ContactFactory(client=client_company, name="Rahul", email="rahul@sahyadri.example")
    give_portal_access(rahul)
    ContactFactory(client=client_company, name="Meera", email="meera@sahyadri.example", receives_summaries=True)
    ContactFactory(client=client_company, name="Anil", email="anil@sahyadri.example")

    assert alert_deliver(alert_id=client_alert.pk, now=NOW) == Alert.Status.SENT

    (message,) = smtp_server.messages
    assert smtp_server.handler.envelopes[0][1] == ["rahul@sahyadri.example"]
    assert message["To"] == "Rahul <rahul@sahyadri.example>"
    assert message["Reply-To"] == "Alice <alice@example.com>"
    assert message["Subject"] == "Reminder: “Product photos” is due from you on Tue 15 Dec 2026, 18:00"
    text, html = text_and_html(message)
    portal = "http://127.0.0.1:8000" + reverse("portal:project", args=[client_alert.milestone.project_id])
    help_url = "http://127.0.0.1:8000" + reverse("portal:help_create")
    assert "Hello Rahul," in text
    assert "is due from your side in 22 days, on Tue 15 Dec 2026, 18:00." in text
    assert portal in text and f'href="{portal}"' in html
    assert "Need help?" in text and "Need help?" in html
    assert help_url in text and f'href="{help_url}"' in html
    assert "Need help? Write to Alice at alice@example.com." in text
    (notification,) = deadline_notifications(client_alert.owner)
    assert notification.text.startswith("Sahyadri Foods owes “Product photos” (Diwali packaging) in 22 days")


def test_without_portal_access_the_contacts_who_receive_summaries_are_reminded(
    client_alert, client_company, smtp_mailer, smtp_server
):
    ContactFactory(client=client_company, name="Meera", email="meera@sahyadri.example", receives_summaries=True)
    ContactFactory(client=client_company, name="Anil", email="anil@sahyadri.example")

    assert alert_deliver(alert_id=client_alert.pk, now=NOW) == Alert.Status.SENT

    assert [m["To"] for m in smtp_server.messages] == ["Meera <meera@sahyadri.example>"]


def test_with_nobody_at_the_client_to_remind_the_alert_fails_and_says_to_add_a_contact(
    client_alert, client_company, smtp_mailer, smtp_server
):
    ContactFactory(client=client_company, name="Anil", email="anil@sahyadri.example")

    assert alert_deliver(alert_id=client_alert.pk, now=NOW) == Alert.Status.FAILED

    client_alert.refresh_from_db()
    assert client_alert.status == Alert.Status.FAILED
    assert client_alert.last_error == str(NO_CONTACT)
    assert "portal access" in client_alert.last_error and "receives summaries" in client_alert.last_error
    assert smtp_server.handler.rcpt_seen == []
    assert deadline_notifications(client_alert.owner).count() == 1
    assert deliverable_ids(now=NOW + datetime.timedelta(days=1)) == []


def test_with_nobody_to_remind_the_app_does_not_say_the_client_was_reminded(
    client_alert, smtp_mailer, smtp_server
):
    assert alert_deliver(alert_id=client_alert.pk, now=NOW) == Alert.Status.FAILED

    texts = list(deadline_notifications(client_alert.owner).values_list("text", flat=True))
    assert not any("We reminded them" in text for text in texts), texts


def test_a_retry_after_one_contact_was_deferred_does_not_remind_the_others_twice(
    client_alert, client_company, smtp_mailer, smtp_server
):
    for name in ("Priya", "Rahul"):
        give_portal_access(ContactFactory(client=client_company, name=name, email=f"{name.lower()}@sahyadri.example"))
    smtp_server.handler.rcpt_answers["rahul@sahyadri.example"] = ["451 4.2.0 Mailbox busy, try later"]

    assert alert_deliver(alert_id=client_alert.pk, now=NOW) == Alert.Status.PENDING
    assert alert_deliver(alert_id=client_alert.pk, now=NOW + MINUTE) == Alert.Status.SENT

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "Priya <priya@sahyadri.example>", "Rahul <rahul@sahyadri.example>"
    ]


def test_a_wrong_smtp_password_leaves_the_alert_pending_for_when_it_is_fixed(alert, settings, smtp_mailer):
    def refuse(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535 5.7.8

    smtp_mailer.options = {"authenticator": refuse, "auth_require_tls": False}
    smtp_mailer.start()
    settings.MAILERS["default"]["OPTIONS"].update(username="vachan", password="wrong")

    result = alert_deliver(alert_id=alert.pk, now=NOW)

    alert.refresh_from_db()
    assert "535" in alert.last_error
    assert result == Alert.Status.PENDING


# is_permanent: the line between "try later" and "never" --------------------------------------


@pytest.mark.parametrize(("error", "permanent"), [
    (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"No such user")}), True),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"No"), "b@x.example": (451, b"Later")}), False),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (452, b"Mailbox full")}), False),
    (smtplib.SMTPDataError(554, b"Message rejected"), True),
    (smtplib.SMTPDataError(451, b"Local error"), False),
    (smtplib.SMTPSenderRefused(421, b"Service not available", "noreply@localhost"), False),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
    (ConnectionRefusedError(111, "Connection refused"), False),
    (TimeoutError("timed out"), False),
])
def test_only_a_5xx_answer_is_permanent(error, permanent):
    assert is_permanent(error) is permanent


def test_the_pause_between_attempts_doubles_up_to_half_an_hour():
    assert [pause_after(n) for n in (1, 2, 3, 5, 6, 7, 50)] == [
        datetime.timedelta(minutes=m) for m in (1, 2, 4, 16, 30, 30, 30)
    ]


def test_a_worker_that_finishes_after_its_claim_was_released_does_not_undo_the_other_workers_send(
    alert, smtp_mailer, smtp_server, monkeypatch
):
    """Worker A hangs past CLAIM_TIMEOUT; its claim is released and worker B sends. When A's send
    finally fails, A must not put B's sent alert back to pending (it would be sent twice)."""
    later = NOW + CLAIM_TIMEOUT + MINUTE
    send = EmailMultiAlternatives.send
    hung = []

    def first_send_hangs(message, *args, **kwargs):
        if not hung:
            hung.append(True)
            assert claims_release(now=later) == 1
            assert alert_deliver(alert_id=alert.pk, now=later) == Alert.Status.SENT  # worker B
            raise smtplib.SMTPServerDisconnected("worker A's connection dropped at last")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", first_send_hangs)

    alert_deliver(alert_id=alert.pk, now=NOW)  # worker A

    alert.refresh_from_db()
    assert alert.status == Alert.Status.SENT
    assert len(smtp_server.messages) == 1
    assert deliverable_ids(now=later + datetime.timedelta(hours=1)) == []
