"""Deadline alerts in the Inbox: listed once, new until read, linking to what to do."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from agreements.alerts.delivery import alert_deliver
from agreements.models import AlertKind
from tests.alerts.outbox import AlertFactory
from tests.factories import NOW, MilestoneFactory
from tests.html import flat

INBOX = reverse("agreements:notifications")


def items(response) -> list[str]:
    html = response.content.decode()
    return [flat(re.sub(r"<[^>]+>", " ", li)) for li in re.findall(r'<li class="list-group-item.*?</li>', html, re.S)]


def test_an_at_risk_alert_is_new_in_the_inbox_once_and_links_to_proposing_a_new_date(
    alice_client, project, mailoutbox
):
    milestone = MilestoneFactory(project=project, title="Final artwork", estimated_hours=Decimal(90),
                                 due_at=NOW + datetime.timedelta(days=4))
    alert = AlertFactory(milestone=milestone, kind=AlertKind.AT_RISK, threshold=milestone.due_at,
                         detail={"slip_days": 7, "finish_at": "2026-12-04T12:00:00+05:30"})

    alert_deliver(alert_id=alert.pk, now=NOW)
    alert_deliver(alert_id=alert.pk, now=NOW)  # a second worker: nothing more

    response = alice_client.get(INBOX)
    (item,) = items(response)
    assert item.startswith("new “Final artwork” (Diwali packaging) is at risk")
    assert "about 7 days late" in item
    assert reverse("agreements:milestone_propose_date", args=[milestone.pk]) in response.content.decode()

    alice_client.post(reverse("agreements:notifications_read"))

    (item,) = items(alice_client.get(INBOX))
    assert not item.startswith("new")
