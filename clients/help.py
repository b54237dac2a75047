"""Help requests: asked in the portal, answered by the freelancer, with the time to first answer."""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from clients.models import HelpReply, HelpRequest


def help_request_create(*, contact, project, what: str, needed_by, now) -> HelpRequest:
    request = HelpRequest(
        client_id=contact.client_id, contact=contact, project=project, what=what, needed_by=needed_by,
        created_at=now,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def help_reply(*, help_request: HelpRequest, text: str, from_freelancer: bool, author: str, now) -> HelpReply:
    """A reply from either side. The freelancer's first answer fixes the time to first answer."""
    reply = HelpReply(
        help_request=help_request, from_freelancer=from_freelancer, author=author, text=text, created_at=now
    )
    reply.full_clean()
    reply.save()
    status = HelpRequest.Status.ANSWERED if from_freelancer else HelpRequest.Status.OPEN
    # Only the first answer counts, even if two are sent at the same moment: kept if already set.
    first = Coalesce("first_answered_at", Value(now)) if from_freelancer else F("first_answered_at")
    HelpRequest.objects.filter(pk=help_request.pk).update(status=status, first_answered_at=first)
    return reply
