"""A client contact approves or declines a quoted change request in the portal.

The impact is shown to the contact as one dict (change_impact), and the decision stores that
dict and its SHA-256 as evidence. If the quote changed after the page was shown (the freelancer
reopened it and edited it), the decision is refused: nobody approves what they did not see.
"""

import json

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agreements.changes import (
    ChangeRequestError,
    approver_error,
    change_request_approve,
    change_request_decline,
    change_request_preview,
)
from agreements.models import ChangeDecision, ChangeRequest
from agreements.models.contract import sha256_hex
from agreements.money import round_money

QUOTE_CHANGED = _(
    "The quote, or the project total it adds to, changed after you opened this page. "
    "Read it again below, then decide."
)
NOT_QUOTED = _("This request is no longer waiting for a decision.")


def change_impact(change_request: ChangeRequest) -> dict:
    """Everything approval would change, as shown to the client: the basis of their decision."""
    project = change_request.project
    currency = project.currency
    preview = change_request_preview(change_request=change_request)
    return {
        "reference": change_request.reference,
        "status": change_request.status,
        # The words and the quote itself: a quote reopened and sent again is a new quote.
        "description": change_request.description,
        "purpose": change_request.purpose,
        "on_behalf_of": change_request.on_behalf_of,
        "needed_by": change_request.needed_by.isoformat(),
        "quoted_at": change_request.quoted_at.isoformat() if change_request.quoted_at else None,
        "currency": currency,
        "price_delta": str(round_money(change_request.price_delta, currency)),
        "total_before": str(round_money(preview.totals.current_total, currency)),
        "total_after": str(round_money(preview.total_if_approved, currency)),
        "milestones": [
            {
                "title": d.milestone.title,
                "before": d.milestone.due_at.isoformat(),
                "after": d.new_due_at.isoformat(),
            }
            for d in change_request.date_changes.select_related("milestone").order_by("pk")
        ],
        "scope_added": [
            {"title": a.title, "quantity": str(a.quantity), "unit": a.unit, "exclusions": a.exclusions}
            for a in change_request.scope_additions.order_by("pk")
        ],
        "scope_removed": [
            {"title": i.title, "quantity": str(i.quantity), "unit": i.unit}
            for i in change_request.remove_scope_items.order_by("pk")
        ],
    }


def decided_impact(change_request: ChangeRequest) -> dict | None:
    """What a decided request did, as recorded then (never recomputed from today's project)."""
    decision = getattr(change_request, "decision", None) if change_request.pk else None
    if decision is not None:
        return decision.impact_seen
    applied = change_request.applied_impact
    if not applied:  # declined or withdrawn by the freelancer: it changed nothing
        return None
    return {
        "currency": applied["currency"],
        "price_delta": applied["price_delta"],
        "total_before": applied["total"]["before"],
        "total_after": applied["total"]["after"],
        "milestones": applied["milestones"],
        "scope_added": applied["scope_added"],
        "scope_removed": applied["scope_removed"],
    }


def impact_sha256(impact: dict) -> str:
    return sha256_hex(json.dumps(impact, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def change_request_decide(
    *, change_request: ChangeRequest, contact, approve: bool, note: str, seen_sha256: str, evidence
) -> ChangeDecision:
    """Approve (applying the impact and issuing the next contract version) or decline, with evidence."""
    if error := approver_error(contact, change_request.project):
        raise error
    with transaction.atomic():
        change_request = ChangeRequest.objects.select_for_update().select_related("project").get(
            pk=change_request.pk
        )
        if change_request.status != ChangeRequest.Status.QUOTED:
            raise ChangeRequestError(NOT_QUOTED, code="transition")
        impact = change_impact(change_request)
        if impact_sha256(impact) != seen_sha256:
            raise ChangeRequestError(QUOTE_CHANGED, code="quote_changed")
        if approve:
            change_request_approve(
                change_request=change_request, approved_by=contact, recorded_by=None, now=evidence.at, note=note
            )
        else:
            change_request_decline(change_request=change_request, recorded_by=None, now=evidence.at, note=note)
        return ChangeDecision.objects.create(
            change_request=change_request, contact=contact, email=contact.email,
            decision=ChangeDecision.Decision.APPROVED if approve else ChangeDecision.Decision.DECLINED,
            note=note, impact_seen=impact, impact_sha256=seen_sha256, **evidence.fields(),
        )
