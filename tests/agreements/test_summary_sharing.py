"""agreements/sharing.py: emailing the summary, dated snapshots of what was said, read-only links."""

import datetime
import email.utils
import hashlib
import smtplib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction

from agreements import sharing
from agreements.models import SummaryLink, SummarySnapshot
from agreements.models.immutable import TRIGGER_MESSAGE, ImmutableRowError
from agreements.sharing import (
    SharingError,
    link_create,
    link_open,
    link_revoke,
    snapshot_create,
    summary_email,
)
from tests.factories import (
    NOW,
    ClientFactory,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    StoredSummarySnapshotFactory,
)
from tests.html import flat
from tests.immutable import flush_issued_documents
from tests.pdf import pdf_text

KOLKATA = ZoneInfo("Asia/Kolkata")
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.usefixtures("frozen_now")


def at(month, day, hour=18):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=KOLKATA)


def addresses(header_values) -> list[str]:
    return [address for _name, address in email.utils.getaddresses(header_values)]


@pytest.fixture
def readers(contact, approver):
    """Priya and Rahul read the summaries; Sahyadri's accountant does not."""
    for person in (contact, approver):
        person.receives_summaries = True
        person.save()
    ContactFactory(client=contact.client, name="Accounts", email="accounts@sahyadri.example")
    return [contact, approver]


def send(project, freelancer, **kwargs):
    """The one copy kept when every reader has the same language."""
    (snapshot,) = summary_email(project=project, sent_by=freelancer, now=NOW, paper_size="A4", **kwargs)
    return snapshot


# Email.


def test_it_emails_the_summary_with_the_pdf_to_the_contacts_who_receive_summaries(
    project, freelancer, readers, mailoutbox
):
    other_client = ClientFactory(owner=freelancer, name="Himalaya Tea")
    ContactFactory(client=other_client, email="boss@himalaya.example", receives_summaries=True)
    ProjectFactory(owner=freelancer, client=other_client)
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15), amount=Decimal("50000"))

    send(project, freelancer)

    (message,) = mailoutbox
    assert sorted(addresses(message.to)) == sorted(person.email for person in readers)
    assert message.reply_to == ["Alice <alice@example.com>"]
    assert message.subject == "Diwali packaging: On track (executive summary)"
    assert "On track: Next: “Final files”, due 15 Dec 2026, on schedule." in message.body
    assert "Current total: ₹1,00,000.00" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert '<span class="status status-on_track">On track</span>' in html
    ((filename, pdf, pdf_type),) = message.attachments
    assert (filename.endswith(".pdf"), pdf_type) == (True, "application/pdf")
    text = flat(pdf_text(pdf))
    assert "On track" in text
    assert "Current total ₹1,00,000.00" in text


def test_emailing_keeps_a_snapshot_of_exactly_what_was_sent(project, freelancer, readers, mailoutbox):
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15))

    returned = send(project, freelancer)

    snapshot = SummarySnapshot.objects.get()
    assert snapshot == returned
    assert snapshot.reason == SummarySnapshot.Reason.EMAIL
    assert (snapshot.created_at, snapshot.created_by) == (NOW, freelancer)
    assert sorted(snapshot.recipients.split(", ")) == sorted(person.email for person in readers)
    assert (snapshot.status, snapshot.paper_size) == ("on_track", "A4")
    assert snapshot.sha256 == hashlib.sha256(bytes(snapshot.pdf)).hexdigest()
    (message,) = mailoutbox
    assert message.body == snapshot.text
    assert message.attachments[0].content == bytes(snapshot.pdf)


def test_markup_in_the_notes_reaches_the_emails_html_part_as_text(project, freelancer, readers, mailoutbox):
    project.summary_concerns = "Logo <img src=http://evil.example/p.png> missing <script>alert(1)</script>"
    project.save()

    send(project, freelancer)

    (html, _mimetype) = mailoutbox[0].alternatives[0]
    assert "<img" not in html and "<script" not in html
    assert "Logo &lt;img src=http://evil.example/p.png&gt; missing &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_without_anyone_to_receive_it_nothing_is_sent_and_nothing_kept(project, freelancer, contact, mailoutbox):
    ClientFactory(owner=freelancer)  # another client's readers do not count
    ContactFactory(client=ClientFactory(owner=freelancer), receives_summaries=True)

    with pytest.raises(SharingError, match="receives summaries"):
        send(project, freelancer)

    assert mailoutbox == []
    assert not SummarySnapshot.objects.exists()


def test_when_sending_fails_no_snapshot_claims_it_was_sent(project, freelancer, readers, mailoutbox, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPException("450 mailbox unavailable")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)

    with pytest.raises(smtplib.SMTPException):
        send(project, freelancer)

    assert not SummarySnapshot.objects.exists()
    assert mailoutbox == []


def test_a_contact_whose_name_has_a_comma_gets_one_correctly_addressed_email(project, freelancer, contact, mailoutbox):
    contact.name = "Rao, Priya"
    contact.receives_summaries = True
    contact.save()

    send(project, freelancer)

    (message,) = mailoutbox
    assert addresses([str(message.message()["To"])]) == [contact.email]


# Snapshots: dated, and they keep what was said.


def test_a_snapshot_still_says_what_was_true_when_it_was_made(project, freelancer):
    concepts = MilestoneFactory(project=project, title="First concepts", due_at=at(11, 20))
    first = snapshot_create(project=project, created_by=freelancer, now=NOW, paper_size="A4",
                            reason=SummarySnapshot.Reason.DOWNLOAD)

    concepts.completed_at = NOW + DAY
    concepts.save()
    second = snapshot_create(project=project, created_by=freelancer, now=NOW + 2 * DAY, paper_size="A4",
                             reason=SummarySnapshot.Reason.DOWNLOAD)

    first, second = SummarySnapshot.objects.get(pk=first.pk), SummarySnapshot.objects.get(pk=second.pk)
    assert (first.created_at, second.created_at) == (NOW, NOW + 2 * DAY)
    assert (first.status, second.status) == ("late", "on_track")
    assert "Late: “First concepts” was due on 20 Nov 2026 and is not delivered yet." in first.text
    assert "0 of 1 milestones delivered" in first.text
    assert 'data-health="late"' in first.html
    assert "0 of 1 milestones delivered" in first.html
    assert "Late" in pdf_text(first.pdf)
    assert "Late “First concepts” was due on 20 Nov 2026 and is not delivered yet." in flat(pdf_text(first.pdf))
    assert "1 of 1 milestones delivered" in second.text
    assert "Every milestone is delivered." in second.html


def test_a_snapshot_cannot_be_rewritten(project):
    snapshot = StoredSummarySnapshotFactory(project=project, text="On track")

    snapshot.text = "Late"
    with pytest.raises(ImmutableRowError):
        snapshot.save()
    with pytest.raises(DatabaseError, match=TRIGGER_MESSAGE), transaction.atomic():
        SummarySnapshot.objects.filter(pk=snapshot.pk).update(text="Late")

    assert SummarySnapshot.objects.get(pk=snapshot.pk).text == "On track"


# Read-only links.


@pytest.fixture
def snapshot(project):
    return StoredSummarySnapshotFactory(project=project)


def test_a_link_keeps_only_the_sha256_of_its_token(snapshot):
    link, token = link_create(snapshot=snapshot, now=NOW)

    stored = SummaryLink.objects.filter(pk=link.pk).values().get()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)
    assert len(token) >= 32
    assert link_create(snapshot=snapshot, now=NOW)[1] != token


def test_a_link_expires_after_thirty_days_unless_told_otherwise(snapshot):
    link, _token = link_create(snapshot=snapshot, now=NOW)
    week, _token = link_create(snapshot=snapshot, now=NOW, days=7)

    assert link.expires_at == NOW + 30 * DAY
    assert week.expires_at == NOW + 7 * DAY


def test_opening_a_link_returns_it_and_counts_the_visit(snapshot):
    link, token = link_create(snapshot=snapshot, now=NOW)

    opened = link_open(token=token, now=NOW + DAY)
    link_open(token=token, now=NOW + 2 * DAY)

    assert opened.pk == link.pk
    assert opened.snapshot == snapshot
    link.refresh_from_db()
    assert (link.opened_count, link.last_opened_at) == (2, NOW + 2 * DAY)


def test_a_link_stops_working_once_it_expires(snapshot):
    link, token = link_create(snapshot=snapshot, now=NOW)
    minute = datetime.timedelta(minutes=1)

    assert link_open(token=token, now=link.expires_at - minute) is not None
    assert link_open(token=token, now=link.expires_at - minute).pk == link.pk
    assert link_open(token=token, now=link.expires_at + minute) is None


def test_a_revoked_link_stops_working_and_its_visits_are_not_counted(snapshot):
    link, token = link_create(snapshot=snapshot, now=NOW)

    revoked = link_revoke(link=link, now=NOW + DAY)

    assert revoked.revoked_at == NOW + DAY
    assert link_open(token=token, now=NOW + 2 * DAY) is None
    link.refresh_from_db()
    assert link.opened_count == 0


def test_a_wrong_token_opens_nothing(snapshot):
    link, token = link_create(snapshot=snapshot, now=NOW)
    other, other_token = link_create(snapshot=snapshot, now=NOW)

    assert link_open(token=token[:-1] + ("A" if token[-1] != "A" else "B"), now=NOW) is None
    assert link_open(token="", now=NOW) is None
    assert link_open(token=other_token, now=NOW).pk == other.pk


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_before_the_transaction_that_records_and_sends_it(
    project, freelancer, readers, mailoutbox, monkeypatch
):
    """No write lock is held while WeasyPrint works (a second or so): other writers do not wait."""
    in_transaction = []
    render = sharing.render_summary_pdf

    def spy(*args, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return render(*args, **kwargs)

    monkeypatch.setattr(sharing, "render_summary_pdf", spy)
    try:
        send(project, freelancer)
        assert in_transaction == [False]
        assert len(mailoutbox) == 1
        assert SummarySnapshot.objects.get().sha256 == hashlib.sha256(mailoutbox[0].attachments[0][1]).hexdigest()
    finally:
        flush_issued_documents()
