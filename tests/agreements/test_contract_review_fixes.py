"""Amendments list every printed term; the schedule adds up after a price cut; a failed email says so."""

import datetime
import smtplib
from decimal import Decimal

from django.urls import reverse

from agreements.changes import change_request_approve, change_request_quote
from agreements.contracts import contract_issue
from agreements.models import SummarySnapshot
from agreements.models.profile import profile_for
from tests.factories import NOW, ChangeRequestFactory, MilestoneFactory
from tests.html import flat
from tests.pdf import pdf_text

LATER = NOW + datetime.timedelta(days=2)



def test_a_price_cut_below_the_scheduled_payments_shows_as_a_reduction_so_the_schedule_adds_up(
    project, approver, freelancer
):
    project.price = Decimal("100000")
    project.save()
    MilestoneFactory(project=project, title="Designs", amount=Decimal("100000"))
    contract_issue(project=project, issued_by=freelancer, now=NOW)
    cut = ChangeRequestFactory(project=project, price_delta=Decimal("-20000"), description="Drop the flyer.")
    change_request_quote(change_request=cut, now=NOW)

    change_request_approve(change_request=cut, approved_by=approver, recorded_by=freelancer, now=LATER)

    text = flat(pdf_text(project.contract_versions.get(number=2).pdf))
    assert "Designs" in text and "₹1,00,000.00" in text
    assert "Designs 15 Dec 2026 ₹1,00,000.00" in text
    assert "Less: price reductions approved by change request -₹20,000.00" in text
    assert "Total ₹80,000.00" in text


def test_a_reissue_lists_changed_party_details_goal_and_revision_policy(draft_project, freelancer):
    contract_issue(project=draft_project, issued_by=freelancer, now=NOW)
    profile = profile_for(freelancer)
    profile.address = "Kothrud, Pune 411038"
    profile.save()
    draft_project.goal = "Packaging for seven snack lines."
    draft_project.free_revision_rounds = 3
    draft_project.save()

    second = contract_issue(project=draft_project, issued_by=freelancer, now=LATER)

    kinds = [change["kind"] for change in second.changes]
    assert kinds == ["parties", "goal", "revisions"]
    revisions = second.changes[2]
    assert revisions["before"].startswith("2 free rounds") and revisions["after"].startswith("3 free rounds")
    assert "Details of the parties (see section 1)" in flat(pdf_text(second.pdf))


def test_a_summary_email_that_cannot_be_sent_says_so_and_records_nothing(
    alice_client, project, contact, monkeypatch, mailoutbox
):
    contact.receives_summaries = True
    contact.save()

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    response = alice_client.post(
        reverse("agreements:summary_share", args=[project.pk]), {"action": "email", "paper_size": "A4"}, follow=True
    )

    assert "The email could not be sent" in response.content.decode()
    assert not SummarySnapshot.objects.exists()
    assert mailoutbox == []
