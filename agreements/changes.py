"""Change requests: the only way scope, price or dates change once agreed.

A request is numbered per project (CR-1, CR-2 …), moves submitted → quoted → approved /
declined / withdrawn, and approval applies its whole impact in one transaction, or nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.contracts import contract_issue
from agreements.models import ChangeRequest, Project, ScopeItem
from agreements.money import ProjectTotals, format_money, project_totals, round_money
from agreements.numbering import create_numbered

NOT_ALLOWED_NOW = _("Not possible while the change request is “%(status)s”.")
PROJECT_CLOSED = _("The project is “%(status)s”: its agreement can no longer change.")
NEGATIVE_TOTAL = _("This change would bring the project's total below zero (%(total)s).")
STALE_MILESTONE = _("A milestone in this request no longer belongs to the project.")
APPROVER_NOT_ALLOWED = _("%(contact)s is not allowed to approve changes for this client.")
APPROVER_OTHER_CLIENT = _("Approval must come from a contact of this project's client.")
NOTHING_TO_QUOTE = _("Describe the impact first: a price change, new dates, or deliverables added or removed.")
STALE_SCOPE_REMOVAL = _("“%(item)s” is no longer part of the agreement.")


class ChangeRequestError(ValidationError):
    pass




def _refuse(change_request: ChangeRequest) -> ChangeRequestError:
    return ChangeRequestError(
        NOT_ALLOWED_NOW, params={"status": change_request.get_status_display()}, code="transition"
    )


def _check_project_open(project: Project) -> None:
    if not project.is_open:
        raise ChangeRequestError(
            PROJECT_CLOSED, params={"status": project.get_status_display()}, code="project_closed"
        )


def change_request_create(*, project: Project, now, remove_scope_items=(), **fields) -> ChangeRequest:
    """Record a written request under the project's next number (CR-n)."""
    _check_project_open(project)

    def create() -> ChangeRequest:
        last = project.change_requests.aggregate(last=Max("number"))["last"] or 0
        change = ChangeRequest(project=project, number=last + 1, created_at=now, **fields)
        change.full_clean(validate_constraints=False)  # the database's unique number decides
        change.save()
        change.remove_scope_items.set(remove_scope_items)
        return change

    return create_numbered(project, create)


@dataclass(frozen=True)
class ChangePreview:
    """What the client is asked to accept: the total now, and if the request is approved."""

    totals: ProjectTotals
    price_delta: Decimal

    @property
    def total_if_approved(self) -> Decimal:
        return self.totals.current_total + self.price_delta


def change_request_preview(*, change_request: ChangeRequest) -> ChangePreview:
    """The totals before and after, read in a fixed number of queries: from the caller's project if
    it was loaded with its money rows (`with_money`), else from a fresh copy (the caller's own
    object is left as it was, so nothing it reads later is stale)."""
    project = change_request.project
    if "scope_items" not in getattr(project, "_prefetched_objects_cache", {}):
        project = Project.objects.with_money().get(pk=project.pk)
    return ChangePreview(totals=project_totals(project=project), price_delta=change_request.price_delta)


def _has_impact(change_request: ChangeRequest) -> bool:
    return bool(
        change_request.price_delta
        or change_request.date_changes.exists()
        or change_request.scope_additions.exists()
        or change_request.remove_scope_items.exists()
    )


def _move(change_request: ChangeRequest, *, to, **fields) -> ChangeRequest:
    """Compare-and-set: only a request still in the status we saw moves on."""
    if not change_request.can_become(to):
        raise _refuse(change_request)
    moved = ChangeRequest.objects.filter(pk=change_request.pk, status=change_request.status).update(
        status=to, **fields
    )
    if moved != 1:
        change_request.refresh_from_db()
        raise _refuse(change_request)
    change_request.refresh_from_db()
    return change_request


def change_request_quote(*, change_request: ChangeRequest, now) -> ChangeRequest:
    _check_project_open(change_request.project)
    if change_request.status == ChangeRequest.Status.SUBMITTED and not _has_impact(change_request):
        raise ChangeRequestError(NOTHING_TO_QUOTE, code="no_impact")
    return _move(change_request, to=ChangeRequest.Status.QUOTED, quoted_at=now)


def change_request_reopen(*, change_request: ChangeRequest) -> ChangeRequest:
    """Take a quote back to edit its impact; the client must be quoted again."""
    return _move(change_request, to=ChangeRequest.Status.SUBMITTED, quoted_at=None)


def change_request_decline(*, change_request: ChangeRequest, recorded_by, now, note: str = "") -> ChangeRequest:
    return _move(
        change_request, to=ChangeRequest.Status.DECLINED, decided_at=now, decided_by=recorded_by, decision_note=note,
    )


def change_request_withdraw(*, change_request: ChangeRequest, recorded_by, now, note: str = "") -> ChangeRequest:
    return _move(
        change_request, to=ChangeRequest.Status.WITHDRAWN, decided_at=now, decided_by=recorded_by, decision_note=note,
    )


def approver_error(contact, project: Project) -> ChangeRequestError | None:
    """Why this contact may not approve for this project (changes, acceptance), or None if they may."""
    if contact.client_id != project.client_id:
        return ChangeRequestError(APPROVER_OTHER_CLIENT, code="approver")
    if not contact.may_approve:
        return ChangeRequestError(APPROVER_NOT_ALLOWED, params={"contact": contact.name}, code="approver")
    return None


def _local_iso(value, zone) -> str:
    return timezone.localtime(value, zone).isoformat()


@transaction.atomic
def change_request_approve(
    *, change_request: ChangeRequest, approved_by, recorded_by, now, note: str = ""
) -> ChangeRequest:
    """Apply the whole quoted impact and record every value before and after it.

    Runs in one transaction: if any part cannot be applied, nothing is, and the request
    stays quoted.
    """
    project = change_request.project
    _check_project_open(project)
    if error := approver_error(approved_by, project):
        raise error
    if change_request.status != ChangeRequest.Status.QUOTED:
        raise _refuse(change_request)
    preview = change_request_preview(change_request=change_request)
    total_before, total_after = preview.totals.current_total, preview.total_if_approved
    if total_after < 0:
        raise ChangeRequestError(
            NEGATIVE_TOTAL, params={"total": format_money(total_after, project.currency)}, code="negative_total"
        )

    _move(
        change_request, to=ChangeRequest.Status.APPROVED,
        decided_at=now, decided_by=recorded_by, approved_by=approved_by, decision_note=note,
    )
    zone = project.zoneinfo
    dates = []
    for date_change in change_request.date_changes.select_related("milestone"):
        milestone = date_change.milestone
        if milestone.project_id != project.pk:
            raise ChangeRequestError(STALE_MILESTONE, code="stale")
        before = milestone.due_at
        milestone.due_at = date_change.new_due_at
        milestone.full_clean()
        milestone.save(update_fields=["due_at"])
        dates.append({
            "milestone": milestone.pk,
            "title": milestone.title,
            "before": _local_iso(before, zone),
            "after": _local_iso(milestone.due_at, zone),
        })

    added = []
    next_position = (project.scope_items.aggregate(last=Max("position"))["last"] or 0) + 1
    for offset, addition in enumerate(change_request.scope_additions.order_by("pk")):
        item = ScopeItem(
            project=project, title=addition.title, quantity=addition.quantity, unit=addition.unit,
            exclusions=addition.exclusions, position=next_position + offset, added_by=change_request,
        )
        item.full_clean()
        item.save()
        added.append({"scope_item": item.pk, "title": item.title, "quantity": str(item.quantity), "unit": item.unit})

    removed = []
    for item in change_request.remove_scope_items.order_by("pk"):
        taken = ScopeItem.objects.filter(pk=item.pk, project=project, removed_by=None).update(
            removed_by=change_request
        )
        if taken != 1:
            raise ChangeRequestError(STALE_SCOPE_REMOVAL, params={"item": item.title}, code="stale")
        removed.append({"scope_item": item.pk, "title": item.title, "quantity": str(item.quantity), "unit": item.unit})

    currency = project.currency
    change_request.applied_impact = {
        "currency": currency,
        "total": {
            "before": str(round_money(total_before, currency)),
            "after": str(round_money(total_after, currency)),
        },
        "price_delta": str(round_money(change_request.price_delta, currency)),
        "milestones": dates,
        "scope_added": added,
        "scope_removed": removed,
    }
    change_request.save(update_fields=["applied_impact"])
    # The approved change becomes the next contract version, which lists what changed.
    contract_issue(
        project=project, issued_by=recorded_by or project.owner, now=now, change_request=change_request
    )
    return change_request
