"""Alert rows built directly, for tests about delivering them (the scan is tested on its own)."""

import datetime

import factory

from agreements.models import Alert, AlertKind, AlertPolicy
from tests.factories import NOW, MilestoneFactory


class AlertFactory(factory.django.DjangoModelFactory):
    """A deadline warning raised at NOW, due for delivery: "… is due in 3 days"."""

    class Meta:
        model = Alert

    milestone = factory.SubFactory(MilestoneFactory)
    owner = factory.LazyAttribute(lambda a: a.milestone.project.owner)
    kind = AlertKind.DUE_SOON
    threshold = factory.LazyAttribute(lambda a: a.milestone.due_at - datetime.timedelta(days=3))
    detail = factory.LazyFunction(lambda: {"days": 3, "unit": AlertPolicy.LeadUnit.CALENDAR})
    created_at = NOW
    next_attempt_at = NOW


def text_and_html(message) -> tuple[str, str]:
    """The plain-text and HTML parts of a message received by the SMTP server."""
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())
